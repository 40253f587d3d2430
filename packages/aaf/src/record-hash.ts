import { createHash } from 'node:crypto';

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A stable SHA-1 (hex) of a record's attributes: names sorted, each attribute's values
 * deduplicated and sorted, so the same content in any order hashes the same. The consumer
 * stores it and skips records whose hash did not change since the last file. Empty values
 * count (`['']` differs from an absent attribute): they clear fields in deltas.
 */
export function recordHash(attributes: Readonly<Record<string, readonly string[]>>): string {
  const names = Object.keys(attributes).sort(byCodeUnit);
  const canonical = names.map((name) => {
    const values = attributes[name] ?? [];
    // (most attributes hold one value: already deduplicated and sorted, no copy)
    return [name, values.length < 2 ? values : [...new Set(values)].sort(byCodeUnit)];
  });
  return createHash('sha1').update(JSON.stringify(canonical)).digest('hex');
}
