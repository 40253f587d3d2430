import { LINK_KINDS, type LinkKind, type PersonColumns, type PersonLinks } from './person-state.js';

export interface KeyedDiff<T> {
  readonly add: readonly T[];
  readonly remove: readonly T[];
  /** Same key, other value (a class label, a relative's flags…): the new values. */
  readonly update: readonly T[];
}

export type LinkValue<K extends LinkKind> =
  PersonLinks[K] extends ReadonlyMap<string, infer V> ? V : never;

export type LinksDiff = { readonly [K in LinkKind]: KeyedDiff<LinkValue<K>> };

export interface PersonDiff {
  /** Changed columns and detail paths (`details.contact.mobile`): [before, after]. */
  readonly fields: Readonly<Record<string, readonly [unknown, unknown]>>;
  readonly links: LinksDiff;
}

/** Stable JSON for comparisons: object keys sorted at every level. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}

/** `canonical(x) === canonical(y)`, without serialising unless both are objects. */
function sameValue(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
  return canonical(x) === canonical(y);
}

function flattenDetails(details: Readonly<Record<string, unknown>>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [theme, fields] of Object.entries(details)) {
    if (fields && typeof fields === 'object' && !Array.isArray(fields)) {
      for (const [name, value] of Object.entries(fields))
        out.set(`details.${theme}.${name}`, value);
    } else {
      out.set(`details.${theme}`, fields);
    }
  }
  return out;
}

export function diffColumns(
  before: PersonColumns | null,
  after: PersonColumns,
): Record<string, readonly [unknown, unknown]> {
  const fields: Record<string, readonly [unknown, unknown]> = {};
  const { details: detailsAfter, ...scalarsAfter } = after;
  for (const [name, value] of Object.entries(scalarsAfter)) {
    const old = before ? (before as unknown as Record<string, unknown>)[name] : null;
    if ((old ?? null) !== (value ?? null)) fields[name] = [old ?? null, value ?? null];
  }
  const a = flattenDetails(before?.details ?? {});
  const b = flattenDetails(detailsAfter);
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(path) ?? null;
    const y = b.get(path) ?? null;
    if (!sameValue(x, y)) fields[path] = [x, y];
  }
  return fields;
}

function diffMap<T>(before: ReadonlyMap<string, T>, after: ReadonlyMap<string, T>): KeyedDiff<T> {
  const add: T[] = [];
  const remove: T[] = [];
  const update: T[] = [];
  for (const [key, value] of after) {
    const old = before.get(key);
    if (old === undefined) add.push(value);
    else if (canonical(old) !== canonical(value)) update.push(value);
  }
  for (const [key, value] of before) if (!after.has(key)) remove.push(value);
  return { add, remove, update };
}

/**
 * What must change to turn `before` into `after`. `keepStructures` leaves the structure set out
 * of the comparison (relatives: derived from their pupils after the import). `withoutFields`
 * leaves the field diff empty: a create's would repeat every column as `[null, value]`, and its
 * event carries the columns themselves (the first import's lighter plan items).
 */
export function diffPerson(
  before: { columns: PersonColumns; links: PersonLinks } | null,
  after: { columns: PersonColumns; links: PersonLinks },
  options: { keepStructures?: boolean; withoutFields?: boolean } = {},
): PersonDiff {
  const links = {} as Record<LinkKind, KeyedDiff<unknown>>;
  for (const kind of LINK_KINDS) {
    const old = (before?.links[kind] ?? new Map()) as ReadonlyMap<string, unknown>;
    const next = after.links[kind] as ReadonlyMap<string, unknown>;
    links[kind] =
      kind === 'structures' && options.keepStructures
        ? { add: [], remove: [], update: [] }
        : diffMap(old, next);
  }
  const fields = options.withoutFields ? {} : diffColumns(before?.columns ?? null, after.columns);
  return { fields, links: links as LinksDiff };
}

export function isEmptyDiff(diff: PersonDiff): boolean {
  if (Object.keys(diff.fields).length > 0) return false;
  return LINK_KINDS.every((k) => {
    const d = diff.links[k];
    return d.add.length === 0 && d.remove.length === 0 && d.update.length === 0;
  });
}

export function membershipChanges(diff: PersonDiff): { added: number; removed: number } {
  const m = diff.links.memberships;
  return { added: m.add.length, removed: m.remove.length };
}
