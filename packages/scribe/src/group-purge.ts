import { LDAP_RESULT, LdapErrors, type LdapEntry, type LdapSession } from '@aaf-sync/ldap';
import type { GroupPurgeItem, GroupPurgeResult } from '@aaf-sync/targets';
import { groupCn } from './desired-entry.js';
import type { Dit } from './dit.js';
import type { ScribeProfile } from './profile.js';

const gone = (err: unknown) =>
  LdapErrors.REJECTED.is(err) && Number(err.details.resultCode) === LDAP_RESULT.NO_SUCH_OBJECT;

/** Deletes an entry; resolves to whether it was there. */
async function deleteEntry(session: LdapSession, dn: string): Promise<boolean> {
  try {
    await session.delete(dn);
    return true;
  } catch (err) {
    if (gone(err)) return false;
    throw err;
  }
}

/**
 * Deletes on a Scribe server the class (`Classe`) or group (`Option`) an empty-groups campaign
 * deleted, with its teaching team (`profs-<cn>`, `Equipe`): only while the group has no member
 * (`memberUid`) — a group that got members again is kept and said so — and only entries of our
 * types (a Scribe admin's group under the same name is kept). Idempotent: a group already gone
 * is `deleted` with nothing removed (its team still deleted if left behind). A refusal by the
 * server is a `failed` result; an unreachable server rejects (LDAP_ERR_UNAVAILABLE).
 */
export async function purgeGroup(
  session: LdapSession,
  dit: Dit,
  profile: ScribeProfile,
  item: GroupPurgeItem,
): Promise<GroupPurgeResult> {
  const { id } = item;
  const cn = groupCn(item.code);
  const type = item.kind === 'class' ? profile.groupTypes.class : profile.groupTypes.group;
  const dn = dit.group(item.uai, cn);
  const teamDn = dit.group(item.uai, `${profile.teamPrefix}${cn}`);
  const isType = (e: LdapEntry | null, t: string) =>
    e?.attributes.type?.some((v) => v.toLowerCase() === t.toLowerCase()) ?? false;
  try {
    const group = await session.read(dn, ['type', 'memberUid']);
    if (group !== null && !isType(group, type)) {
      return { id, outcome: 'kept', reason: `${dn} is not a ${type} group (not ours)` };
    }
    const members = group?.attributes.memberuid?.length ?? 0;
    if (members > 0) {
      return { id, outcome: 'kept', reason: `${members} member(s) on the target again` };
    }
    const removed: string[] = [];
    const team = await session.read(teamDn, ['type']);
    if (team !== null && isType(team, profile.groupTypes.team)) {
      if (await deleteEntry(session, teamDn)) removed.push(teamDn);
    }
    if (group !== null && (await deleteEntry(session, dn))) removed.push(dn);
    return { id, outcome: 'deleted', removed };
  } catch (err) {
    if (!LdapErrors.REJECTED.is(err)) throw err;
    return { id, outcome: 'failed', error: err.message };
  }
}
