/** One changed leaf of a calendar document (what a new version changed). */
export interface DocumentChange {
  /** Dotted path; array items by index (`campaigns.2.runOn`). */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The leaves that differ between two documents (`before` null for the first version: every leaf
 * is reported as added). Arrays are compared item by item; a longer or shorter array reports the
 * extra items.
 */
export function diffDocuments(before: unknown, after: unknown, path = ''): DocumentChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffDocuments(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    const out: DocumentChange[] = [];
    for (let i = 0; i < n; i++) out.push(...diffDocuments(before[i], after[i], `${path}.${i}`));
    return out;
  }
  const empty = (v: unknown) => (Array.isArray(v) ? [] : isObject(v) ? {} : undefined);
  if (empty(before) !== undefined || empty(after) !== undefined) {
    // A container against a leaf (or the other kind of container): every leaf added or removed.
    const removed = empty(before) === undefined ? [] : diffDocuments(before, empty(before), path);
    const added = empty(after) === undefined ? [] : diffDocuments(empty(after), after, path);
    return [
      ...removed.map((c) => ({ ...c, after: empty(after) === undefined ? (after ?? null) : null })),
      ...added.map((c) => ({
        ...c,
        before: empty(before) === undefined ? (before ?? null) : null,
      })),
    ];
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: path || '(document)', before: before ?? null, after: after ?? null }];
}
