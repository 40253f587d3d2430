import { eventWatermark, sql, type Executor } from '@aaf-sync/db';

/** The events a consumer reads next: `events` of them, up to `upto` (its next cursor). */
export interface EventWindow {
  readonly upto: number;
  readonly events: number;
}

/**
 * The next window of the log for a consumer whose cursor is `from` (its row locked by the
 * caller): at most `maxEvents` events after it. Undefined at the head, and when events after the
 * cursor were purged (following the log would skip them: the consumer waits for a reset or a
 * replay; `consumerStatuses` shows `needsReset`). Shared by the targets dispatcher and the
 * webhooks outbox.
 */
export async function nextEventWindow(
  trx: Executor,
  from: number,
  maxEvents: number,
): Promise<EventWindow | undefined> {
  if (from < (await eventWatermark(trx))) return undefined;
  const window = await sql<{ upto: string | number | null; n: number }>`
    select max(seq) as upto, count(*)::int as n from (
      select seq from change_event where seq > ${from} order by seq limit ${maxEvents}) s
  `.execute(trx);
  const upto = Number(window.rows[0]?.upto ?? 0);
  const events = Number(window.rows[0]?.n ?? 0);
  return events === 0 ? undefined : { upto, events };
}
