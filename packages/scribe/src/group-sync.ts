import { escapeFilterValue, LDAP_RESULT, refused, sameDn, type LdapSession } from '@aaf-sync/ldap';
import { groupRef, type GroupDetails, type GroupRef } from './desired-entry.js';
import type { Dit } from './dit.js';
import type { ScribeProfile } from './profile.js';

export interface GroupContext {
  readonly session: LdapSession;
  readonly baseDn: string;
  readonly dit: Dit;
  readonly profile: ScribeProfile;
  /** The group's `gidNumber` (allocated once per target). */
  readonly gid: (uai: string, cn: string) => Promise<number>;
}

/** A new group's attributes (members apart): `description` (`<type> <cn>` by default), `niveau`. */
export function groupEntry(
  profile: ScribeProfile,
  g: GroupRef,
  gidNumber: number,
  details?: GroupDetails,
): Record<string, string[]> {
  return {
    objectClass: [...profile.groupObjectClasses],
    cn: [g.cn],
    gidNumber: [String(gidNumber)],
    type: [g.type],
    description: [details?.description ? details.description : `${g.type} ${g.cn}`],
    ...(details?.niveau ? { niveau: [details.niveau] } : {}),
  };
}

/** Creates the group entry if missing (an existing one is left as it is). */
export async function ensureGroup(
  ctx: GroupContext,
  g: GroupRef,
  members: readonly string[] = [],
  details?: GroupDetails,
): Promise<boolean> {
  const dn = ctx.dit.group(g.uai, g.cn);
  try {
    await ctx.session.add(dn, {
      ...groupEntry(ctx.profile, g, await ctx.gid(g.uai, g.cn), details),
      ...(members.length > 0 ? { memberUid: [...members] } : {}),
    });
    return true;
  } catch (err) {
    if (refused(err, LDAP_RESULT.ALREADY_EXISTS)) return false;
    throw err;
  }
}

/** A new class or group comes with its teaching team (`profs-<cn>`, empty). */
async function ensureWithTeam(
  ctx: GroupContext,
  g: GroupRef,
  uid: string,
  details?: GroupDetails,
): Promise<void> {
  await ensureGroup(ctx, g, [uid], details);
  const { class: classType, group: optionType, team } = ctx.profile.groupTypes;
  if (g.type === classType || g.type === optionType) {
    await ensureGroup(ctx, { uai: g.uai, type: team, cn: `${ctx.profile.teamPrefix}${g.cn}` });
  }
}

/**
 * Makes `uid` a member (`memberUid`) of exactly the `desired` groups among the groups of the
 * managed types under the target's base: removed from the others (a class change moves the pupil),
 * added to the missing ones (a missing group is created). Groups of other types (a Scribe
 * admin's own) are never touched. `fresh`: the uid was never provisioned before (a new account:
 * logins are never reused), so it is a member of nothing yet and the search is skipped.
 * `details`: what a group created here is created with (by `groupRef`). Resolves to the number
 * of writes.
 */
export async function syncGroups(
  ctx: GroupContext,
  uid: string,
  desired: readonly GroupRef[],
  fresh = false,
  details: ReadonlyMap<string, GroupDetails> = new Map(),
): Promise<number> {
  const managed = new Set(ctx.profile.managedGroupTypes.map((t) => t.toLowerCase()));
  const current = fresh
    ? []
    : await ctx.session.search(ctx.baseDn, {
        filter: `(&(objectClass=posixGroup)(memberUid=${escapeFilterValue(uid)}))`,
        attributes: ['cn', 'type'],
      });
  let writes = 0;
  const wantedDns = desired.map((g) => ctx.dit.group(g.uai, g.cn));
  for (const entry of current) {
    const type = entry.attributes.type?.[0]?.toLowerCase();
    if (type === undefined || !managed.has(type)) continue;
    if (wantedDns.some((dn) => sameDn(dn, entry.dn))) continue;
    try {
      await ctx.session.modify(entry.dn, [
        { operation: 'delete', attribute: 'memberUid', values: [uid] },
      ]);
      writes += 1;
    } catch (err) {
      if (!refused(err, LDAP_RESULT.NO_SUCH_ATTRIBUTE, LDAP_RESULT.NO_SUCH_OBJECT)) throw err;
    }
  }
  for (const g of desired) {
    const dn = ctx.dit.group(g.uai, g.cn);
    if (current.some((e) => sameDn(e.dn, dn))) continue;
    try {
      await ctx.session.modify(dn, [{ operation: 'add', attribute: 'memberUid', values: [uid] }]);
    } catch (err) {
      if (refused(err, LDAP_RESULT.ATTRIBUTE_OR_VALUE_EXISTS)) continue;
      if (!refused(err, LDAP_RESULT.NO_SUCH_OBJECT)) throw err;
      await ensureWithTeam(ctx, g, uid, details.get(groupRef(g)));
      // Created by someone else meanwhile: join it.
      await ctx.session
        .modify(dn, [{ operation: 'add', attribute: 'memberUid', values: [uid] }])
        .catch((e: unknown) => {
          if (!refused(e, LDAP_RESULT.ATTRIBUTE_OR_VALUE_EXISTS)) throw e;
        });
    }
    writes += 1;
  }
  return writes;
}

/**
 * Adds new members (accounts just created: in no group yet) to one group in one modify; the
 * group is created with them (and its team) when missing, or joined in one modify when another
 * batch created it meanwhile. A value already there (a replay) falls back to one modify per
 * member. Resolves to the number of writes.
 */
export async function addMembers(
  ctx: GroupContext,
  g: GroupRef,
  uids: readonly string[],
  details?: GroupDetails,
): Promise<number> {
  const dn = ctx.dit.group(g.uai, g.cn);
  const add = (values: readonly string[]) =>
    ctx.session.modify(dn, [{ operation: 'add', attribute: 'memberUid', values }]);
  const oneByOne = async () => {
    let writes = 0;
    for (const uid of uids) {
      try {
        await add([uid]);
        writes += 1;
      } catch (err) {
        if (!refused(err, LDAP_RESULT.ATTRIBUTE_OR_VALUE_EXISTS)) throw err;
      }
    }
    return writes;
  };
  try {
    await add(uids);
    return 1;
  } catch (err) {
    if (refused(err, LDAP_RESULT.ATTRIBUTE_OR_VALUE_EXISTS)) return oneByOne();
    if (!refused(err, LDAP_RESULT.NO_SUCH_OBJECT)) throw err;
  }
  if (!(await ensureGroup(ctx, g, uids, details))) {
    // Created meanwhile (a batch side by side with this one): join it in one modify again.
    try {
      await add(uids);
      return 1;
    } catch (err) {
      if (refused(err, LDAP_RESULT.ATTRIBUTE_OR_VALUE_EXISTS)) return oneByOne();
      throw err;
    }
  }
  const { class: classType, group: optionType, team } = ctx.profile.groupTypes;
  if (g.type === classType || g.type === optionType) {
    await ensureGroup(ctx, { uai: g.uai, type: team, cn: `${ctx.profile.teamPrefix}${g.cn}` });
  }
  return 1;
}
