import type { LdapEntry } from '@aaf-sync/ldap';

/** A DN's RDNs as the driver compares them: split at unescaped commas, trimmed, lower case. */
const rdns = (dn: string): string[] => dn.split(/(?<!\\),/).map((p) => p.trim().toLowerCase());

/**
 * Sorts the entries of one search over the target's base by school: an entry belongs to the
 * school whose container (`containers`: DN → UAI, e.g. each school's users OU) it lies under, at
 * any depth; entries under no container given are left out. One search of the base, then this,
 * instead of one search per school: an unindexed filter (`(uid=*)`) makes slapd consider every
 * entry of the database for each search, whatever its base.
 */
export function entriesBySchool(
  entries: readonly LdapEntry[],
  containers: ReadonlyMap<string, string>,
): Map<string, LdapEntry[]> {
  const byDn = new Map([...containers].map(([dn, uai]) => [rdns(dn).join(','), uai]));
  const out = new Map<string, LdapEntry[]>([...new Set(containers.values())].map((u) => [u, []]));
  for (const e of entries) {
    const parts = rdns(e.dn);
    for (let i = 1; i < parts.length; i += 1) {
      const uai = byDn.get(parts.slice(i).join(','));
      if (uai === undefined) continue;
      out.get(uai)!.push(e);
      break;
    }
  }
  return out;
}
