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
  const out = new Map<string, LdapEntry[]>([...new Set(containers.values())].map((u) => [u, []]));
  const sort = schoolSorter(containers, out);
  sort(entries);
  return out;
}

/**
 * {@link entriesBySchool} page by page: each call files the entries of a page under their school
 * in `out` (which must hold a list per school) and drops the others, so a paged search over the
 * base keeps only the schools asked for.
 */
export function schoolSorter(
  containers: ReadonlyMap<string, string>,
  out: ReadonlyMap<string, LdapEntry[]>,
): (entries: readonly LdapEntry[]) => void {
  const containerOf = dnContainers(containers);
  return (entries) => {
    for (const e of entries) {
      const uai = containerOf(e.dn);
      if (uai !== undefined) out.get(uai)!.push(e);
    }
  };
}

/** Whitespace around an RDN boundary, or around the whole DN: the DN needs {@link rdns}. */
const LOOSE = /\s,|,\s|^\s|\s$/;

/**
 * The nearest of these containers (DN → what it stands for) a DN lies under, at any depth, DNs
 * compared as {@link rdns} does (case, spaces around commas). A DN written as we write them (no
 * spaces) is looked up suffix by suffix without being split: the inventory does this for every
 * entry of a target.
 */
export function dnContainers<T>(containers: ReadonlyMap<string, T>): (dn: string) => T | undefined {
  const byDn = new Map([...containers].map(([dn, v]) => [rdns(dn).join(','), v]));
  return (dn) => {
    if (LOOSE.test(dn)) {
      const parts = rdns(dn);
      for (let i = 1; i < parts.length; i += 1) {
        const v = byDn.get(parts.slice(i).join(','));
        if (v !== undefined) return v;
      }
      return undefined;
    }
    const lower = dn.toLowerCase();
    for (let i = lower.indexOf(','); i >= 0; i = lower.indexOf(',', i + 1)) {
      if (i > 0 && lower.charCodeAt(i - 1) === 92 /* \\ */) continue;
      const v = byDn.get(lower.slice(i + 1));
      if (v !== undefined) return v;
    }
    return undefined;
  };
}
