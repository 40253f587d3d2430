import {
  sql,
  type InsertQueryBuilder,
  type Kysely,
  type RawBuilder,
  type Selectable,
} from 'kysely';
import type { Database } from './database.js';
import type { Executor } from './executor.js';

/** A table of the schema. */
export type BulkTable = keyof Database & string;

/** A column of `T`. */
export type BulkColumn<T extends BulkTable> = keyof Selectable<Database[T]> & string;

/** `V` readonly all the way down (what a caller's frozen data is typed as). */
type Frozen<V> = V extends Date
  ? V
  : V extends readonly (infer E)[]
    ? readonly Frozen<E>[]
    : V extends object
      ? { readonly [K in keyof V]: Frozen<V[K]> }
      : V;

/**
 * What a bulk row may hold for a column read as `V`: the same, readonly or not, a timestamp as
 * a Date or a string, and any object for a column typed as any JSON record (an interface has no
 * index signature).
 */
type Loose<V> = V extends object
  ? V extends Date
    ? Date | string
    : V extends readonly unknown[]
      ? Frozen<V>
      : Record<string, unknown> extends V
        ? object
        : Frozen<V>
  : V;

/**
 * The value of column `C` of `T` in a bulk row: the value as it reads back (a JSON column takes
 * the object, a timestamp a Date or its ISO text).
 */
export type BulkValue<T extends BulkTable, C extends BulkColumn<T>> = Loose<
  Selectable<Database[T]>[C]
>;

/** A row of a bulk write: every listed column, by name. */
export type BulkRow<T extends BulkTable, C extends BulkColumn<T>> = {
  readonly [K in C]: BulkValue<T, K>;
};

/** What a write returns for `returning: [...]`: those columns, as selected. */
export type BulkReturned<T extends BulkTable, R extends BulkColumn<T>> = Pick<
  Selectable<Database[T]>,
  R
>;

/** Kysely's own `on conflict` callback, typed for `T` (`(oc) => oc.doNothing()`…). */
export type BulkOnConflict<T extends BulkTable> = Parameters<
  InsertQueryBuilder<Database, T, object>['onConflict']
>[0];

/** Extra assignments of a bulk update, the same for every row (`updated_at: sql\`now()\``). */
export type BulkAlso<T extends BulkTable> = {
  readonly [K in BulkColumn<T>]?: BulkValue<T, K> | RawBuilder<unknown>;
};

export interface BulkInsertOptions<T extends BulkTable, R extends BulkColumn<T>> {
  readonly onConflict?: BulkOnConflict<T>;
  readonly returning?: readonly R[];
  /** Rows inserted in the order given (serial columns follow it): `with ordinality … order by`. */
  readonly ordered?: boolean;
  /** At most this many rows per statement (default: all of them in one). */
  readonly chunk?: number;
}

export interface BulkUpdateOptions<T extends BulkTable, R extends BulkColumn<T>> {
  readonly also?: BulkAlso<T>;
  readonly returning?: readonly R[];
  readonly chunk?: number;
}

const chunks = <X>(rows: readonly X[], size = Infinity): (readonly X[])[] => {
  if (rows.length <= size) return [rows];
  const out: (readonly X[])[] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
};

/**
 * The rows as one JSON parameter read by `json_populate_recordset` with the table's own row
 * type: one native JSON.stringify on the client instead of one escaped array per column, jsonb
 * values travel as they are, each value is converted to its column's type by PostgreSQL, and
 * the parameter count never depends on the number of rows. Keys not given read as null.
 */
const recordset = (table: BulkTable, rows: readonly object[]) =>
  sql`json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::json)`;

const list = (names: readonly string[], prefix?: string) =>
  sql.join(names.map((n) => (prefix ? sql.ref(`${prefix}.${n}`) : sql.id(n))));

const matching = (keys: readonly string[]) =>
  sql.join(
    keys.map((k) => sql`${sql.ref(`t.${k}`)} = ${sql.ref(`u.${k}`)}`),
    sql` and `,
  );

/**
 * Inserts many rows in one statement per chunk: `insert into t (cols) select cols from
 * json_populate_recordset(null::t, $1)`, so 10,000 rows cost one parameter and one round trip.
 * Columns and values are checked against the kysely table type; `onConflict` is kysely's own.
 *
 * ```ts
 * const ids = await bulkInsert(trx, 'class_group', ['structure_jointure', 'kind', 'code', 'label'],
 *   rows, { onConflict: (oc) => oc.doNothing(), returning: ['id', 'code'] });
 * ```
 */
export async function bulkInsert<
  T extends BulkTable,
  const C extends BulkColumn<T>,
  const R extends BulkColumn<T> = never,
>(
  db: Executor,
  table: T,
  columns: readonly C[],
  rows: readonly NoInfer<BulkRow<T, C>>[],
  options: BulkInsertOptions<T, R> = {},
): Promise<BulkReturned<T, R>[]> {
  const out: BulkReturned<T, R>[] = [];
  for (const part of rows.length === 0 ? [] : chunks(rows, options.chunk)) {
    const source = options.ordered
      ? sql`select ${list(columns, 'u')} from ${recordset(table, part)} with ordinality as u order by u.ordinality`
      : sql`select ${list(columns, 'u')} from ${recordset(table, part)} as u`;
    // kysely cannot follow a generic table name through its builder: the types are the signature's.
    let query = (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
      .insertInto(table)
      .columns(columns)
      .expression(source);
    if (options.onConflict) query = query.onConflict(options.onConflict as never);
    const result = options.returning?.length
      ? await query.returning(options.returning).execute()
      : (await query.execute(), []);
    for (const r of result as BulkReturned<T, R>[]) out.push(r); // (no spread: 100k+ rows)
  }
  return out;
}

/**
 * Updates many rows in one statement per chunk: `update t set c = u.c … from
 * json_populate_recordset(null::t, $1) u where t.key = u.key`. Each row carries its keys and the
 * columns to set; `also` adds assignments shared by all rows (`updated_at: sql\`now()\``).
 */
export async function bulkUpdate<
  T extends BulkTable,
  const K extends BulkColumn<T>,
  const S extends BulkColumn<T>,
  const R extends BulkColumn<T> = never,
>(
  db: Executor,
  table: T,
  keys: readonly K[],
  sets: readonly S[],
  rows: readonly NoInfer<BulkRow<T, K | S>>[],
  options: BulkUpdateOptions<T, R> = {},
): Promise<BulkReturned<T, R>[]> {
  if (rows.length === 0) return [];
  const assignments = [
    ...sets.map((c) => sql`${sql.id(c)} = ${sql.ref(`u.${c}`)}`),
    ...Object.entries(options.also ?? {}).map(([c, v]) => sql`${sql.id(c)} = ${v}`),
  ];
  const returning = options.returning?.length
    ? sql` returning ${list(options.returning, 't')}`
    : sql``;
  const out: BulkReturned<T, R>[] = [];
  for (const part of chunks(rows, options.chunk)) {
    const result = await sql<BulkReturned<T, R>>`
      update ${sql.table(table)} as t set ${sql.join(assignments)}
      from ${recordset(table, part)} as u
      where ${matching(keys)}${returning}`.execute(db);
    for (const r of result.rows) out.push(r);
  }
  return out;
}

/** Deletes the rows whose key columns match one of the given rows; returns how many went. */
export async function bulkDelete<T extends BulkTable, const K extends BulkColumn<T>>(
  db: Executor,
  table: T,
  keys: readonly K[],
  rows: readonly NoInfer<BulkRow<T, K>>[],
  options: { readonly chunk?: number } = {},
): Promise<number> {
  let deleted = 0;
  for (const part of rows.length === 0 ? [] : chunks(rows, options.chunk)) {
    const result = await sql`
      delete from ${sql.table(table)} as t using ${recordset(table, part)} as u
      where ${matching(keys)}`.execute(db);
    deleted += Number(result.numAffectedRows ?? 0);
  }
  return deleted;
}
