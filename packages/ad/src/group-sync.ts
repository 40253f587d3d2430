import { LDAP_RESULT, refused, LdapErrors, type LdapSession } from '@aaf-sync/ldap';
import { normDn, type AdLayout } from './layout.js';
import type { AdProfile } from './profile.js';

export interface GroupContext {
  readonly session: LdapSession;
  readonly layout: AdLayout;
  readonly profile: AdProfile;
  /** Suffixes (normalised) of the groups OUs of the target's establishments: what we manage. */
  readonly managedSuffixes: readonly string[];
  /** Makes the establishment's OUs (memoised by the driver). */
  ensureOus(session: LdapSession, uai: string): Promise<void>;
}

/** Whether a group DN is one of ours (under a groups OU of the target's establishments). */
export const isManaged = (managedSuffixes: readonly string[], dn: string) => {
  const n = normDn(dn);
  return managedSuffixes.some((s) => n.endsWith(`,${s}`));
};

/** The first RDN value of a DN (`CN=6a,OU=…` → `6a`). */
const rdnValue = (dn: string) =>
  (dn.split(/(?<!\\),/)[0] ?? '').replace(/^[^=]*=/, '').replace(/\\(.)/g, '$1');

/** Creates a group of ours with its first members; resolves to whether it was created. */
async function createGroup(c: GroupContext, uai: string, dn: string, members: readonly string[]) {
  const cn = rdnValue(dn);
  const entry = {
    objectClass: ['top', 'group'],
    cn: [cn],
    sAMAccountName: [c.layout.groupSam(uai, cn)],
    groupType: [String(c.profile.groupType)],
    member: [...members],
  };
  try {
    await c.session.add(dn, entry);
  } catch (err) {
    if (refused(err, LDAP_RESULT.ALREADY_EXISTS)) return false;
    if (!refused(err, LDAP_RESULT.NO_SUCH_OBJECT)) throw err;
    await c.ensureOus(c.session, uai);
    await c.session.add(dn, entry);
  }
  return true;
}

/**
 * Makes the account `userDn` a member (by DN) of exactly the managed groups `wanted` among
 * those it is in (`memberOf`, as read): removed from the others of ours, added where missing —
 * a missing group is created. Groups we do not manage are never touched, groups never deleted.
 * Resolves to the number of group writes.
 */
export async function syncGroups(
  c: GroupContext,
  uai: string,
  userDn: string,
  memberOf: readonly string[],
  wanted: readonly string[],
): Promise<number> {
  const want = new Map(wanted.map((g) => [normDn(g), g]));
  const held = new Set(memberOf.filter((g) => isManaged(c.managedSuffixes, g)).map(normDn));
  let writes = 0;
  for (const g of memberOf) {
    if (!isManaged(c.managedSuffixes, g) || want.has(normDn(g))) continue;
    try {
      await c.session.modify(g, [{ operation: 'delete', attribute: 'member', values: [userDn] }]);
      writes += 1;
    } catch (err) {
      if (!refused(err, LDAP_RESULT.NO_SUCH_ATTRIBUTE, LDAP_RESULT.NO_SUCH_OBJECT)) throw err;
    }
  }
  for (const [n, g] of want) {
    if (held.has(n)) continue;
    try {
      await c.session.modify(g, [{ operation: 'add', attribute: 'member', values: [userDn] }]);
      writes += 1;
    } catch (err) {
      if (refused(err, LDAP_RESULT.ATTRIBUTE_OR_VALUE_EXISTS, LDAP_RESULT.ALREADY_EXISTS)) continue;
      if (!refused(err, LDAP_RESULT.NO_SUCH_OBJECT)) throw err;
      if (await createGroup(c, uai, g, [userDn])) writes += 1;
      else {
        // Created meanwhile by another account of the batch.
        await c.session.modify(g, [{ operation: 'add', attribute: 'member', values: [userDn] }]);
        writes += 1;
      }
    }
  }
  return writes;
}

/**
 * Adds new accounts (in no group of ours yet) to one group in one modify, or creates the group
 * with them. When the group holds one of them already (a retry), each is added alone. Resolves
 * to the writes made and the accounts whose add the domain refused (DN → error).
 */
export async function addMembers(
  c: GroupContext,
  uai: string,
  groupDn: string,
  userDns: readonly string[],
): Promise<{ writes: number; refusedFor: Map<string, unknown> }> {
  const refusedFor = new Map<string, unknown>();
  const add = (values: readonly string[]) =>
    c.session.modify(groupDn, [{ operation: 'add', attribute: 'member', values }]);
  try {
    await add(userDns);
    return { writes: 1, refusedFor };
  } catch (err) {
    if (refused(err, LDAP_RESULT.NO_SUCH_OBJECT)) {
      if (await createGroup(c, uai, groupDn, userDns)) return { writes: 1, refusedFor };
    } else if (!LdapErrors.REJECTED.is(err)) throw err;
  }
  let writes = 0;
  for (const dn of userDns) {
    try {
      await add([dn]);
      writes += 1;
    } catch (err) {
      if (refused(err, LDAP_RESULT.ATTRIBUTE_OR_VALUE_EXISTS, LDAP_RESULT.ALREADY_EXISTS)) continue;
      if (!LdapErrors.REJECTED.is(err)) throw err;
      refusedFor.set(dn, err);
    }
  }
  return { writes, refusedFor };
}
