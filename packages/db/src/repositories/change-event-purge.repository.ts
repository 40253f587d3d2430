import { sql } from 'kysely';
import type { Executor } from '../executor.js';

export interface PurgeEventsInput {
  /** Events that occurred before this instant are deleted (the retention cut-off). */
  readonly olderThan: Date;
  /** Who asked (`cli:purge-events`, `scheduler`…), recorded with the purge. */
  readonly actor: string;
  /** Rows deleted per statement (keeps each transaction short). */
  readonly batchSize?: number;
}

export interface PurgeEventsResult {
  /** The watermark after the purge: every event with `seq <= watermark` is gone. */
  readonly watermark: number;
  readonly deleted: number;
  /**
   * Set when an active target's cursor stopped the purge short of the retention cut-off: the
   * slowest consumer's name and cursor (events after it are kept until it has read them).
   */
  readonly heldBy?: { readonly target: string; readonly seq: number };
}

/**
 * The slowest active consumer of the log (migration 0006): the active target with the lowest
 * cursor, or undefined when no target is active. Suspended targets do not hold the log back
 * (their resumption is a full reconcile).
 */
export async function slowestConsumer(
  db: Executor,
): Promise<{ target: string; seq: number } | undefined> {
  const row = await db
    .selectFrom('target_consumer as c')
    .innerJoin('target as t', 't.id', 'c.target_id')
    .select(['t.name', 'c.seq'])
    .where('t.state', '=', 'active')
    .orderBy('c.seq')
    .orderBy('t.name')
    .limit(1)
    .executeTakeFirst();
  return row ? { target: row.name, seq: Number(row.seq) } : undefined;
}

/**
 * The purge watermark as an SQL expression (the highest `seq` a purge removed, 0 when nothing was
 * ever purged), for statements that read it with other values in one snapshot.
 */
export const EVENT_WATERMARK = sql<number>`coalesce((select max(through_seq) from change_event_purge), 0)`;

/**
 * The purge watermark: the highest `seq` a purge removed (0 when nothing was ever purged). A feed
 * cursor below it cannot be followed without a gap, so the API answers 410 (resync).
 */
export async function eventWatermark(db: Executor): Promise<number> {
  const { rows } = await sql<{ watermark: string | number }>`
    select ${EVENT_WATERMARK} as watermark`.execute(db);
  return Number(rows[0]?.watermark ?? 0);
}

/**
 * Deletes the events older than `olderThan`, as a prefix of the log.
 *
 * The watermark is committed first, then the rows are deleted in batches: a feed reader that
 * sees the old watermark cannot yet miss a deleted event, and one that sees the new watermark is
 * refused (410) — the decision is exact at every instant. The cut-off is the highest `seq` of an
 * event older than `olderThan`, so the retained log is always a contiguous suffix. A purge that
 * stopped half-way is finished by the next one (the watermark never goes back). It never purges
 * past the slowest active target consumer: an event a target has not dispatched yet is kept.
 *
 * @example
 * await purgeEvents(db, { olderThan: new Date(Date.now() - 90 * 86_400_000), actor: 'cli' });
 */
export async function purgeEvents(
  db: Executor,
  input: PurgeEventsInput,
): Promise<PurgeEventsResult> {
  const batchSize = input.batchSize ?? 10_000;
  const previous = await eventWatermark(db);
  const row = await db
    .selectFrom('change_event')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('occurred_at', '<', input.olderThan)
    .executeTakeFirst();
  const cutOff = Number(row?.seq ?? 0);
  const slowest = await slowestConsumer(db);
  const held = slowest !== undefined && slowest.seq < cutOff;
  const watermark = Math.max(previous, held ? slowest.seq : cutOff);
  const heldBy = held ? { heldBy: slowest } : {};
  if (watermark === 0) return { watermark: 0, deleted: 0, ...heldBy };
  const purge = await db
    .insertInto('change_event_purge')
    .values({ through_seq: watermark, older_than: input.olderThan, actor: input.actor })
    .returning('id')
    .executeTakeFirstOrThrow();
  let deleted = 0;
  for (;;) {
    const result = await sql`
      delete from change_event where seq in (
        select seq from change_event where seq <= ${watermark} order by seq limit ${batchSize}
      )
    `.execute(db);
    const n = Number(result.numAffectedRows ?? 0);
    deleted += n;
    if (n < batchSize) break;
  }
  await db.updateTable('change_event_purge').set({ deleted }).where('id', '=', purge.id).execute();
  return { watermark, deleted, ...heldBy };
}
