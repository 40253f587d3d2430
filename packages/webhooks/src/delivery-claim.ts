import { PREPARED, sql, type Database, type Kysely } from '@aaf-sync/db';

/**
 * ASYNC_COMMIT. Claims, releases and records (delivery-record.ts) commit with
 * `synchronous_commit = off`, set inside the statement: a commit does not wait for the WAL to
 * reach the disk (on a busy disk each wait took 10–40 ms, and a claim or record is one
 * transaction per round trip). What a PostgreSQL crash can lose is the last fraction of a
 * second of them — a lease (the row is due again), a record (the row is sent again, same
 * webhook-id): at least once holds, and a row is never lost (the outbox fill commits normally).
 */

/** A delivery taken for sending: what signing, sending and recording it need. */
export interface ClaimedDelivery {
  readonly id: number;
  readonly seq: number;
  /** Attempts made before this one. */
  readonly attempts: number;
  /** The exact request body (the same bytes on every retry). */
  readonly body: string;
  /** The subscription's version when claimed (a change reloads its URL and secrets). */
  readonly targetVersion: number;
  /** The row is ours until then (ms): it is sent only if its whole exchange fits before. */
  readonly leaseUntil: number;
}

interface ClaimRow {
  id: string | null;
  seq: string | null;
  attempts: number | null;
  body: string | null;
  target_version: string | null;
  /** Only on the last row: how many pending rows the window held. */
  scanned: number | null;
}

/**
 * One claim over a window: the first `window` pending rows of the subscription in seq order
 * (an index range, so the cost follows the window, not the backlog), then among them the due
 * ones that are the oldest pending row of their entity (a scalar subquery: an index lookup per
 * row, whatever the statistics), locked `skip locked` and leased, in one statement. The
 * conditions on the row itself (pending, due) are re-checked after the lock, so a row another
 * claim leased meanwhile is never taken twice.
 */
async function claimWindow(
  db: Kysely<Database>,
  targetId: number,
  limit: number,
  window: number | null,
  now: Date,
  lease: Date,
): Promise<ClaimRow[]> {
  const rows = await sql<ClaimRow>`${PREPARED}
    with sub as (
      select id, version from target
      where id = ${targetId} and state = 'active' and kind = 'webhook'
        -- The lease commits without waiting for the WAL flush (ASYNC_COMMIT).
        and set_config('synchronous_commit', 'off', true) = 'off'
    ), win as (
      select w.seq from webhook_delivery w
      where w.target_id = (select id from sub) and w.status = 'pending'
      order by w.seq
      limit ${window}
    ), due as (
      select d.id from webhook_delivery d
      where d.target_id = (select id from sub) and d.status = 'pending'
        and d.seq <= (select max(seq) from win)
        and d.next_attempt_at <= ${now}
        and d.seq = (select min(e.seq) from webhook_delivery e
          where e.target_id = d.target_id and e.entity_key = d.entity_key
            and e.status = 'pending')
      order by d.seq, d.id
      limit ${limit}
      for update of d skip locked
    ), claimed as (
      update webhook_delivery d set next_attempt_at = ${lease}
      from due where d.id = due.id
      returning d.id, d.seq, d.attempts, d.body
    )
    select c.id, c.seq, c.attempts, c.body, (select version from sub) as target_version,
      null::int as scanned
    from claimed c
    union all
    select null, null, null, null, null, (select count(*)::int from win)
  `.execute(db);
  return rows.rows;
}

/**
 * Takes up to `limit` due deliveries of one subscription (only the oldest pending row of each
 * entity, so order per entity holds) and leases them until `leaseUntil` (their
 * `next_attempt_at` moves there: a process dying mid-send lets them come back), committed before
 * any HTTP happens. Looks at the first `window` pending rows first (those in flight, waiting or
 * blocked come first in seq order: a window a few times the rows in flight finds the due ones);
 * while a full window gave too few, looks again over windows 8 and 64 times larger,
 * then over every pending row. Nothing when the subscription is not an active webhook any more.
 * Sorted by seq.
 */
export async function claimDue(
  db: Kysely<Database>,
  targetId: number,
  limit: number,
  now: number,
  leaseUntil: number,
  window = 8 * limit,
): Promise<ClaimedDelivery[]> {
  const out: ClaimedDelivery[] = [];
  for (let w: number | null = Math.max(window, limit); out.length < limit; w = w && w * 8) {
    // A window past 64 times the first one is the whole backlog (`limit null`: no limit).
    const size = w !== null && w > 64 * Math.max(window, limit) ? null : w;
    const rows = await claimWindow(
      db,
      targetId,
      limit - out.length,
      size,
      new Date(now),
      new Date(leaseUntil),
    );
    for (const r of rows) {
      if (r.id === null) continue;
      out.push({
        id: Number(r.id),
        seq: Number(r.seq),
        attempts: Number(r.attempts),
        body: String(r.body),
        targetVersion: Number(r.target_version),
        leaseUntil,
      });
    }
    const scanned = rows.find((r) => r.id === null)?.scanned ?? 0;
    if (size === null || scanned < size) break; // the window held every pending row
  }
  return out.sort((a, b) => a.seq - b.seq || a.id - b.id);
}

/**
 * Gives claimed rows back at once (due now) instead of at the end of their lease: rows never
 * sent (their lease would end before a whole exchange, or the subscription stopped). Only rows
 * still under the lease they were claimed with: one a later claim took is left alone.
 */
export async function releaseClaimed(
  db: Kysely<Database>,
  rows: readonly ClaimedDelivery[],
  now: number,
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    with cfg as (select set_config('synchronous_commit', 'off', true) as v) -- ASYNC_COMMIT
    update webhook_delivery d set next_attempt_at = ${new Date(now)}
    from json_to_recordset(${JSON.stringify(rows.map((r) => ({ id: r.id, lease: new Date(r.leaseUntil) })))}::json)
      as r(id bigint, lease timestamptz)
    where d.id = r.id and d.status = 'pending' and d.next_attempt_at = r.lease
      and (select v from cfg) = 'off'
  `.execute(db);
}
