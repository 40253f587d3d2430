import { LDAP_RESULT, LdapErrors, refused, type LdapEntry, type LdapSession } from '@aaf-sync/ldap';
import type { GroupPurgeItem, GroupPurgeResult } from '@aaf-sync/targets';
import type { AdLayout } from './layout.js';
import type { AdProfile } from './profile.js';

/** Members of a group as read (`member`, or `member;range=…` for a large one). */
const memberCount = (e: LdapEntry) =>
  Object.entries(e.attributes)
    .filter(([name]) => name === 'member' || name.startsWith('member;'))
    .reduce((n, [, values]) => n + values.length, 1) - 1;

const isGroup = (e: LdapEntry) =>
  e.attributes.objectclass?.some((v) => v.toLowerCase() === 'group') ?? false;

/**
 * Deletes from the domain the class or group an empty-groups campaign deleted (our group object
 * `CN=<code>` under the establishment's `OU=Groupes`) and its team (`CN=profs-<code>`): only
 * while the group has no `member` (one that got members again is kept and said so). Idempotent:
 * a group already gone is `deleted` with nothing removed. A refusal by the domain is a `failed`
 * result; an unreachable domain rejects (LDAP_ERR_UNAVAILABLE).
 */
export async function purgeAdGroup(
  session: LdapSession,
  layout: AdLayout,
  profile: AdProfile,
  item: GroupPurgeItem,
): Promise<GroupPurgeResult> {
  const { id } = item;
  const cn = layout.groupCn(item.code);
  const dn = layout.group(item.uai, cn);
  const teamDn = layout.group(item.uai, `${profile.teamPrefix}${cn}`);
  const remove = async (target: string) => {
    try {
      await session.delete(target);
      return true;
    } catch (err) {
      if (refused(err, LDAP_RESULT.NO_SUCH_OBJECT)) return false;
      throw err;
    }
  };
  try {
    const group = await session.read(dn, ['objectClass', 'member']);
    if (group !== null && !isGroup(group)) {
      return { id, outcome: 'kept', reason: `${dn} is not a group (not ours)` };
    }
    const members = group ? memberCount(group) : 0;
    if (members > 0) {
      return { id, outcome: 'kept', reason: `${members} member(s) on the target again` };
    }
    const removed: string[] = [];
    const team = await session.read(teamDn, ['objectClass']);
    if (team !== null && isGroup(team) && (await remove(teamDn))) removed.push(teamDn);
    if (group !== null && (await remove(dn))) removed.push(dn);
    return { id, outcome: 'deleted', removed };
  } catch (err) {
    if (!LdapErrors.REJECTED.is(err)) throw err;
    return { id, outcome: 'failed', error: err.message };
  }
}
