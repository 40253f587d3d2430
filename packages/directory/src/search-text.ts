import { sql, type RawBuilder } from '@aaf-sync/db';

const ACCENTED = 'àáâãäåçèéêëìíîïñòóôõöùúûüýÿœæ';
const PLAIN = 'aaaaaaceeeeiiiinooooouuuuyyoa';

/**
 * Lower case, without diacritics, only letters and digits kept: how names are compared (search,
 * duplicate detection). `Lefèvre-Dupont` → `lefevredupont`.
 */
export function normalizeText(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, '');
}

/** The SQL counterpart of `normalizeText` for a column (close enough for French names). */
export function normalizedSql(column: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`regexp_replace(translate(lower(${column}), ${ACCENTED}, ${PLAIN}), '[^a-z0-9]+', '', 'g')`;
}

/** Search tokens of a free-text query (normalised, empty ones dropped, at most 5). */
export function searchTokens(query: string): string[] {
  return query
    .split(/\s+/)
    .map(normalizeText)
    .filter((t) => t.length > 0)
    .slice(0, 5);
}
