import { sql, type Executor } from '@aaf-sync/db';

/** A column of a bulk statement: its name and its Postgres type (`text`, `int`, `jsonb`…). */
export interface Column {
  readonly name: string;
  readonly type: string;
}

export const col = (name: string, type = 'text'): Column => ({ name, type });

/**
 * The rows as one JSON parameter read by `json_to_recordset`: one native JSON.stringify on the
 * client instead of one escaped array literal per column, and jsonb values travel as they are.
 */
function recordset(columns: readonly Column[], rows: readonly (readonly unknown[])[]) {
  const names = columns.map((c) => c.name);
  const objects = rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) o[names[i]!] = r[i] ?? null;
    return o;
  });
  const definition = sql.raw(columns.map((c) => `"${c.name}" ${c.type}`).join(', '));
  return sql`json_to_recordset(${JSON.stringify(objects)}::json) as u(${definition})`;
}

const quoted = (columns: readonly Column[]) =>
  sql.raw(columns.map((c) => `"${c.name}"`).join(', '));

/**
 * Inserts many rows in one statement (`insert … select from json_to_recordset`): one parameter
 * whatever the number of rows, so 10,000 rows cost one round trip. `tail` is appended verbatim
 * (e.g. `on conflict do nothing`, `returning id`).
 */
export async function insertRows<R = unknown>(
  db: Executor,
  table: string,
  columns: readonly Column[],
  rows: readonly (readonly unknown[])[],
  tail = '',
): Promise<R[]> {
  if (rows.length === 0) return [];
  const names = quoted(columns);
  const result = await sql<R>`
    insert into ${sql.raw(table)} (${names})
    select ${names} from ${recordset(columns, rows)} ${sql.raw(tail)}`.execute(db);
  return result.rows;
}

/** Deletes the rows whose key columns match one of the given key tuples. */
export async function deleteRows(
  db: Executor,
  table: string,
  keys: readonly Column[],
  rows: readonly (readonly unknown[])[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const match = sql.raw(keys.map((k) => `t."${k.name}" = u."${k.name}"`).join(' and '));
  const result = await sql`
    delete from ${sql.raw(table)} as t using ${recordset(keys, rows)}
    where ${match}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Updates many rows in one statement: `update t set c = u.c … from json_to_recordset(…) u where
 * t.key = u.key`. `extraSet` adds assignments (e.g. `version = t.version + 1`); `tail` e.g.
 * returning.
 */
export async function updateRows<R = unknown>(
  db: Executor,
  table: string,
  keys: readonly Column[],
  sets: readonly Column[],
  rows: readonly (readonly unknown[])[],
  options: { extraSet?: string; tail?: string } = {},
): Promise<R[]> {
  if (rows.length === 0) return [];
  const assignments = [
    ...sets.map((c) => `"${c.name}" = u."${c.name}"`),
    ...(options.extraSet ? [options.extraSet] : []),
  ].join(', ');
  const match = keys.map((k) => `t."${k.name}" = u."${k.name}"`).join(' and ');
  const result = await sql<R>`
    update ${sql.raw(table)} as t set ${sql.raw(assignments)}
    from ${recordset([...keys, ...sets], rows)}
    where ${sql.raw(match)} ${sql.raw(options.tail ?? '')}`.execute(db);
  return result.rows;
}
