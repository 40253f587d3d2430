import { eventWatermark, sql, type Executor, type RawBuilder } from '@aaf-sync/db';

/** The events a consumer reads next: `events` of them, up to `upto` (its next cursor). */
export interface EventWindow {
  readonly upto: number;
  readonly events: number;
}

/**
 * The window statement's select list for a cursor `from` (a value or a column of the caller's
 * query): `upto` (the last seq of the window) and `n` (its events), at most `maxEvents` after the
 * cursor. A caller may embed it (`lateral`) to lock its cursor and read its window in one round
 * trip; `eventWindowOf` then decides.
 */
export function eventWindowSql(from: RawBuilder<unknown> | number, maxEvents: number) {
  return sql<{ upto: string | number | null; n: number }>`
    select max(s.seq) as upto, count(*)::int as n from (
      select seq from change_event where seq > ${from} order by seq limit ${maxEvents}) s`;
}

/**
 * The rule of the next window: none at the head, and none when events after the cursor were
 * purged (`watermark`, packages/db's `eventWatermark`: following the log would skip them, so the
 * consumer waits for a reset or a replay; `consumerStatuses` shows `needsReset`).
 */
export function eventWindowOf(
  from: number,
  watermark: number,
  row: { upto: string | number | null; n: number } | undefined,
): EventWindow | undefined {
  const events = Number(row?.n ?? 0);
  if (from < watermark || events === 0) return undefined;
  return { upto: Number(row?.upto ?? 0), events };
}

/**
 * The next window of the log for a consumer whose cursor is `from` (its row locked by the
 * caller): at most `maxEvents` events after it, by the rule of `eventWindowOf`. Shared by the
 * targets dispatcher and the webhooks outbox (which embeds `eventWindowSql` in its lock).
 */
export async function nextEventWindow(
  trx: Executor,
  from: number,
  maxEvents: number,
): Promise<EventWindow | undefined> {
  const watermark = await eventWatermark(trx);
  if (from < watermark) return undefined;
  const window = await eventWindowSql(from, maxEvents).execute(trx);
  return eventWindowOf(from, watermark, window.rows[0]);
}
