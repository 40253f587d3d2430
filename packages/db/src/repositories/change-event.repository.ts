import { sql } from 'kysely';
import type { Executor } from '../executor.js';
import type { EventEntity, EventOp } from '../tables/change-event.table.js';

export interface EventInput {
  readonly entityType: EventEntity;
  readonly entityKey: string;
  readonly op: EventOp;
  readonly version: number;
  /** UAIs of the establishments concerned (feed filter `uai=`). */
  readonly uais?: readonly string[];
  readonly changes?: Readonly<Record<string, unknown>>;
  readonly importId?: number | null;
  readonly fileId?: number | null;
  readonly actor?: string | null;
}

/** Advisory lock id serialising writers of change_event (see appendEvents). */
export const EVENT_WRITER_LOCK = 7_310_100;

/**
 * Appends events to the log, in the given order, in one statement.
 *
 * Call it inside the transaction that makes the change (outbox). It takes a transaction-level
 * advisory lock first, so transactions that write events commit in `seq` order: a reader that
 * has seen `seq = n` can never later find a newly committed event with `seq < n` (no gap in the
 * change feed). The lock is held until the transaction ends.
 */
export async function appendEvents(db: Executor, events: readonly EventInput[]): Promise<void> {
  if (events.length === 0) return;
  await sql`select pg_advisory_xact_lock(${EVENT_WRITER_LOCK})`.execute(db);
  const rows = events.map((e) => ({
    t: e.entityType,
    k: e.entityKey,
    o: e.op,
    v: e.version,
    u: e.uais ?? [],
    c: e.changes ?? {},
    i: e.importId ?? null,
    f: e.fileId ?? null,
    a: e.actor ?? null,
  }));
  // One JSON parameter (json_to_recordset): far cheaper than one escaped array per column.
  await sql`
    insert into change_event (entity_type, entity_key, op, version, uais, changes, import_id, file_id, actor)
    select t, k, o, v, u, c, i, f, a
    from rows from (json_to_recordset(${JSON.stringify(rows)}::json)
      as (t text, k text, o text, v int, u text[], c json, i bigint, f bigint, a text))
      with ordinality as e(t, k, o, v, u, c, i, f, a, n)
    order by n
  `.execute(db);
}
