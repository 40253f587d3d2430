import { sql, type Database, type Kysely } from '@aaf-sync/db';
import { ldifEntry } from '@aaf-sync/ldap';
import { loadAccounts, type DriverTarget } from '@aaf-sync/targets';
import {
  desiredEntry,
  GROUP_DETAILS_KEY,
  GROUPS_KEY,
  parseGroupRef,
  UAI_KEY,
  type GroupDetails,
} from './desired-entry.js';
import { groupEntry } from './group-sync.js';
import { scribeDit } from './dit.js';
import { entryForAdd } from './entry-diff.js';
import { allocatePosixIds } from './posix-ids.js';
import { resolveProfile } from './profile.js';
import { scribeOptions } from './scribe-options.js';

const CHUNK = 1000;

/**
 * The whole desired subtree of a Scribe target as LDIF, for `slapadd` (a fast first load): the
 * OUs of each school, every account the directory says the target should hold (with its POSIX
 * numbers, allocated now if new: the same the driver would write), then the groups with their
 * members (classes, options, teams, base groups). The target's `baseDn` itself is not written.
 * Resolves to the number of entries.
 */
export async function exportScribeLdif(
  db: Kysely<Database>,
  target: DriverTarget,
  write: (chunk: string) => void | Promise<void>,
): Promise<number> {
  const options = scribeOptions(target);
  const profile = resolveProfile(options.profile);
  const dit = scribeDit(options.baseDn, profile);
  let count = 0;
  const emit = async (dn: string, attributes: Record<string, readonly string[]>) => {
    await write(ldifEntry(dn, attributes));
    count += 1;
  };
  for (const uai of target.uais) {
    for (const { dn, ou } of dit.schoolOus(uai)) {
      await emit(dn, { objectClass: ['organizationalUnit'], ou: [ou] });
    }
  }
  // Groups: members gathered while the accounts are written.
  interface Group {
    uai: string;
    type: string;
    cn: string;
    members: Set<string>;
    details?: GroupDetails;
  }
  const groups = new Map<string, Group>();
  const group = (uai: string, type: string, cn: string) => {
    const key = `${uai}$${cn}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { uai, type, cn, members: new Set() }));
    return g;
  };
  const pending: { dn: string; attributes: Record<string, string[]> }[] = [];
  const { rows } = await sql<{ id: number }>`
    select distinct p.id from person p
    join person_structure ps on ps.person_jointure = p.jointure
    join structure s on s.jointure = ps.structure_jointure
    where s.uai = any(${sql.val([...target.uais])}::text[]) and p.state = 'active'
    order by p.id
  `.execute(db);
  const ids = rows.map((r) => Number(r.id));
  for (let i = 0; i < ids.length; i += CHUNK) {
    const accounts = [...(await loadAccounts(db, ids.slice(i, i + CHUNK))).values()];
    const entries = accounts.flatMap((a) => {
      const e = desiredEntry(a, target.uais, profile, dit);
      return e ? [{ account: a, entry: e }] : [];
    });
    const posix = entries.filter((e) => profile.posixProfiles.includes(e.account.profile));
    const uidNumbers = await allocatePosixIds(
      db,
      target.id,
      'user',
      posix.map((e) => String(e.account.id)),
      profile.uidNumberStart,
    );
    for (const { account, entry } of entries) {
      const attributes = entryForAdd(entry.attributes);
      const uai = String(entry.attributes[UAI_KEY]);
      const uid = String(entry.attributes.uid);
      const number = uidNumbers.get(String(account.id));
      if (number !== undefined && account.profile !== 'relative') {
        const base = group(uai, profile.groupTypes.base, profile.primaryGroups[account.profile]);
        attributes.uidNumber = [String(number)];
        attributes.gidNumber = [`@gid:${uai}$${base.cn}`];
      }
      const details = new Map(
        [entry.attributes[GROUP_DETAILS_KEY] ?? []]
          .flat()
          .map((v) => JSON.parse(v) as GroupDetails)
          .map((d) => [d.ref, d]),
      );
      for (const v of [entry.attributes[GROUPS_KEY] ?? []].flat()) {
        const ref = parseGroupRef(v);
        const g = group(ref.uai, ref.type, ref.cn);
        g.members.add(uid);
        // The first member's details, as the driver creates a group with its first member's.
        g.details ??= details.get(v);
        if (ref.type === profile.groupTypes.class || ref.type === profile.groupTypes.group) {
          group(ref.uai, profile.groupTypes.team, `${profile.teamPrefix}${ref.cn}`);
        }
      }
      pending.push({ dn: entry.key, attributes });
    }
    await flush();
  }
  // The groups' numbers, allocated once per group (asking again answers the same numbers).
  function groupNumbers() {
    return allocatePosixIds(db, target.id, 'group', [...groups.keys()], profile.gidNumberStart);
  }
  // Users wait for their primary group's number (allocated with the groups, below).
  async function flush() {
    const gids = await groupNumbers();
    for (const u of pending.splice(0)) {
      const g = u.attributes.gidNumber?.[0];
      if (g?.startsWith('@gid:')) u.attributes.gidNumber = [String(gids.get(g.slice(5)))];
      await emit(u.dn, u.attributes);
    }
  }
  const gids = await groupNumbers();
  for (const [key, g] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    await emit(dit.group(g.uai, g.cn), {
      ...groupEntry(profile, g, gids.get(key)!, g.details),
      ...(g.members.size > 0 ? { memberUid: [...g.members].sort() } : {}),
    });
  }
  return count;
}
