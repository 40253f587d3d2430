import { ApiErrors } from '../errors.js';

/**
 * Opaque list cursors: base64url of a small JSON object tagged with its list, so that a cursor of
 * one list is refused by another. Clients must pass them back unchanged.
 */
export function encodeCursor(
  list: string,
  payload: Readonly<Record<string, string | number>>,
): string {
  return Buffer.from(JSON.stringify({ l: list, ...payload })).toString('base64url');
}

/** Decodes a cursor of `list`, or throws API_ERR_INVALID_CURSOR (400). */
export function decodeCursor(list: string, cursor: string): Record<string, unknown> {
  let value: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw new Error('not base64url');
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw ApiErrors.INVALID_CURSOR({ list });
  }
  if (!value || typeof value !== 'object' || (value as { l?: unknown }).l !== list) {
    throw ApiErrors.INVALID_CURSOR({ list });
  }
  return value as Record<string, unknown>;
}

/** Reads a non-negative safe integer field of a decoded cursor, or throws INVALID_CURSOR. */
export function cursorInt(decoded: Record<string, unknown>, field: string, list: string): number {
  const v = decoded[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw ApiErrors.INVALID_CURSOR({ list });
  }
  return v;
}

/** Reads a string field of a decoded cursor, or throws INVALID_CURSOR. */
export function cursorString(
  decoded: Record<string, unknown>,
  field: string,
  list: string,
): string {
  const v = decoded[field];
  if (typeof v !== 'string' || v.length === 0 || v.length > 256) {
    throw ApiErrors.INVALID_CURSOR({ list });
  }
  return v;
}

/** A keyset page: the rows kept and the cursor of the next page (null on the last page). */
export interface KeysetPage<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/**
 * The one keyset-page step of every list route: `rows` were read with `limit + 1`; the extra row
 * only says that more follow, and the next cursor (tagged with `list`) carries the key of the
 * last row kept, as `keyOf` gives it.
 */
export function keysetPage<T>(
  rows: readonly T[],
  limit: number,
  list: string,
  keyOf: (last: T) => Readonly<Record<string, string | number>>,
): KeysetPage<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const more = rows.length > limit;
  return { items, nextCursor: more && last !== undefined ? encodeCursor(list, keyOf(last)) : null };
}
