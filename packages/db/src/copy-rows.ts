import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { sql } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { bulkInsert, type BulkColumn, type BulkRow, type BulkTable } from './bulk-write.js';
import type { Executor } from './executor.js';

/**
 * The pool clients of every pool made by `createDb`, by backend process id: a kysely
 * transaction does not hand out its `pg` client, its backend's pid finds it (registered on
 * `connect`, forgotten on `remove`). Two servers may reuse a pid: a pid held by two clients
 * finds none (the caller then writes with `bulkInsert`).
 */
const clients = new Map<number, Set<CopyClient>>();

interface CopyClient {
  readonly client: pg.PoolClient;
  /** The pool's statement hook (createDb `onQuery`): a COPY is reported like a statement. */
  readonly onQuery?: (sql: string, milliseconds: number) => void;
}

const pidOf = (client: pg.PoolClient) =>
  (client as unknown as { processID: number | null }).processID;

/** Registers the clients of a pool for `copyRows` (createDb does it for its pool). */
export function trackCopyClients(
  pool: pg.Pool,
  onQuery?: (sql: string, milliseconds: number) => void,
): void {
  const mine = new Map<pg.PoolClient, CopyClient>();
  pool.on('connect', (client) => {
    const pid = pidOf(client);
    if (pid === null) return;
    const entry = { client, ...(onQuery ? { onQuery } : {}) };
    mine.set(client, entry);
    let set = clients.get(pid);
    if (!set) clients.set(pid, (set = new Set()));
    set.add(entry);
  });
  pool.on('remove', (client) => {
    const pid = pidOf(client);
    const entry = mine.get(client);
    mine.delete(client);
    const set = pid === null ? undefined : clients.get(pid);
    if (entry) set?.delete(entry);
    if (set?.size === 0) clients.delete(pid!);
  });
}

/** The executor's own client, once per executor (a transaction keeps its connection). */
const found = new WeakMap<object, CopyClient | null>();

async function clientOf(db: Executor): Promise<CopyClient | null> {
  if (found.has(db)) return found.get(db)!;
  if (!db.isTransaction) return null; // a pool's next statement may run on any connection
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
  const set = clients.get(rows[0]!.pid);
  const client = set?.size === 1 ? [...set][0]! : null;
  found.set(db, client);
  return client;
}

const ESCAPED = /[\\\n\r\t]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A text field of COPY's text format: backslash, newline, carriage return and tab escaped. */
function field(text: string): string {
  return ESCAPED.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]!) : text;
}

/** A PostgreSQL array literal of text values (`{"a","b"}`), null elements as NULL. */
function arrayLiteral(values: readonly unknown[]): string {
  const items = values.map((v) =>
    v === null || v === undefined ? 'NULL' : `"${String(v).replace(/[\\"]/g, (c) => `\\${c}`)}"`,
  );
  return `{${items.join(',')}}`;
}

/**
 * One value in COPY's text format: null as `\N`, a boolean as t/f, a Date as ISO text, an array
 * as a text array literal, any other object as JSON (json and jsonb columns), else its text.
 */
export function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  switch (typeof value) {
    case 'string':
      return field(value);
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    default:
      if (value instanceof Date) return value.toISOString();
      if (Array.isArray(value)) return field(arrayLiteral(value));
      return field(JSON.stringify(value));
  }
}

/** Bytes of `COPY` data per write: large enough to amortise a write, small enough for memory. */
const CHUNK_BYTES = 1 << 20;

/**
 * Inserts rows with `COPY table (columns) FROM STDIN` in the caller's transaction, in the order
 * given (identity columns follow it): no statement text, no JSON for PostgreSQL to parse, no
 * per-row executor overhead, which makes it the cheapest way to load many rows. No `returning`
 * and no `on conflict`: a conflicting row fails the statement (and the transaction), so use it
 * where none can exist, such as a first import into an empty directory. Array values go to text
 * array columns, other objects to json/jsonb columns (an array meant for a JSON column needs
 * `bulkInsert`). Outside a transaction, or when the connection cannot be found (an executor not
 * made by `createDb`), it falls back to `bulkInsert` with the same rows. Answers the row count.
 *
 * ```ts
 * await copyRows(trx, 'membership', ['class_group_id', 'person_jointure'], rows);
 * ```
 */
export async function copyRows<T extends BulkTable, const C extends BulkColumn<T>>(
  db: Executor,
  table: T,
  columns: readonly C[],
  rows: readonly NoInfer<BulkRow<T, C>>[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const copy = await clientOf(db);
  if (!copy) {
    await bulkInsert(db, table, columns, rows, { ordered: true });
    return rows.length;
  }
  const started = performance.now();
  const names = columns.map((c) => `"${c.replace(/"/g, '""')}"`).join(', ');
  const statement = `copy "${table}" (${names}) from stdin`;
  const stream = copy.client.query(copyFrom(statement));
  const done = finished(stream);
  // (a failed COPY errors the stream: `done` rejects, and the writes below stop on it)
  done.catch(() => {});
  // Each row's line is encoded into a chunk buffer as it is made: a string of a mebibyte built
  // by concatenation would be flattened then encoded again by the stream (twice the CPU).
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  for (const row of rows as readonly Record<string, unknown>[]) {
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      line += copyValue(row[columns[i]!]);
      line += i === columns.length - 1 ? '\n' : '\t';
    }
    // (at most 3 bytes of UTF-8 per UTF-16 unit)
    if (used + line.length * 3 > chunk.length) {
      if (used > 0 && !stream.write(chunk.subarray(0, used)))
        await Promise.race([once(stream, 'drain'), done]);
      chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, line.length * 3));
      used = 0;
    }
    used += chunk.write(line, used);
  }
  stream.end(chunk.subarray(0, used));
  await done;
  copy.onQuery?.(statement, performance.now() - started);
  return rows.length;
}
