import { sql } from 'kysely';
import { bulkInsert } from '../bulk-write.js';
import { copyRows } from '../copy-rows.js';
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
 * change feed). The lock is held until the transaction ends. `copy` writes them with
 * `COPY … FROM STDIN` (copyRows: the same rows in the same order, cheaper for PostgreSQL; for
 * the large appends of an import).
 */
export async function appendEvents(
  db: Executor,
  events: readonly EventInput[],
  options: { readonly copy?: boolean } = {},
): Promise<void> {
  if (events.length === 0) return;
  await sql`select pg_advisory_xact_lock(${EVENT_WRITER_LOCK})`.execute(db);
  const columns = [
    'entity_type',
    'entity_key',
    'op',
    'version',
    'uais',
    'changes',
    'import_id',
    'file_id',
    'actor',
  ] as const;
  const rows = events.map((e) => ({
    entity_type: e.entityType,
    entity_key: e.entityKey,
    op: e.op,
    version: e.version,
    uais: e.uais ?? [],
    changes: e.changes ?? {},
    import_id: e.importId ?? null,
    file_id: e.fileId ?? null,
    actor: e.actor ?? null,
  }));
  if (options.copy) await copyRows(db, 'change_event', columns, rows);
  else await bulkInsert(db, 'change_event', columns, rows, { ordered: true });
}
