import { insertAudit, PREPARED, sql, type Executor } from '@aaf-sync/db';
import type { DeliverBatch, DeliverOptions } from './deliver.js';
import type { PostResult } from './http-client.js';

/** One attempt made, waiting to be recorded. */
export interface SentDelivery {
  readonly row: { readonly id: number; readonly attempts: number };
  readonly result: PostResult;
  /** When the attempt started. */
  readonly at: Date;
}

/**
 * Records each attempt, moves each row on (delivered, retry later, dead) and the health, in one
 * statement (one round trip); when nothing succeeded for `disableAfterMs`, disables the
 * subscription with an admin notice.
 */
export async function recordSent(
  o: DeliverOptions,
  target: { id: number; name: string },
  sent: readonly SentDelivery[],
): Promise<DeliverBatch> {
  let delivered = 0;
  let failed = 0;
  let dead = 0;
  const updates = sent.map(({ row, result, at }) => {
    const attempts = row.attempts + 1;
    if (result.ok) delivered++;
    const delay = result.ok ? null : o.backoff.delayAfter(attempts);
    if (!result.ok && delay === null) dead++;
    else if (!result.ok) failed++;
    return {
      id: Number(row.id),
      attempts,
      at: at.toISOString(),
      status: result.ok ? 'delivered' : delay === null ? 'dead' : 'pending',
      next: new Date(at.getTime() + (delay ?? 0)).toISOString(),
      code: result.status,
      error: result.ok ? null : (result.error ?? `HTTP ${result.status}`),
      ok: result.ok,
      ms: result.latencyMs,
      excerpt: result.excerpt,
    };
  });
  const now = new Date(o.now());
  const anyOk = delivered > 0;
  // Data-modifying CTEs run exactly once, in the statement's single snapshot: one round trip.
  const write = async (ex: Executor) => {
    const health = await sql<{ failing_since: Date | null }>`${PREPARED}
    with cfg as (
      -- The commit does not wait for the WAL flush (ASYNC_COMMIT in delivery-claim.ts).
      select set_config('synchronous_commit', 'off', true) as v
    ), u as (
      select u.* from json_to_recordset(${JSON.stringify(updates)}::json)
        as u(id bigint, attempts int, status text, next timestamptz, code int, error text,
          ok boolean, at timestamptz, ms float8, excerpt text), cfg
      where cfg.v = 'off'
    ), moved as (
      update webhook_delivery d set attempts = u.attempts, status = u.status,
        next_attempt_at = u.next, last_status = u.code, last_error = u.error,
        delivered_at = case when u.ok then u.at else d.delivered_at end
      from u where d.id = u.id
    ), logged as (
      insert into webhook_attempt (delivery_id, target_id, attempt, attempted_at, ok,
        status_code, latency_ms, response_excerpt, error)
      select u.id, ${target.id}, u.attempts, u.at, u.ok, u.code, u.ms, u.excerpt, u.error from u
    )
    insert into webhook_health as h (target_id, failing_since, last_success_at, last_failure_at)
    values (${target.id}, ${anyOk ? null : now}, ${anyOk ? now : null}, ${anyOk ? null : now})
    on conflict (target_id) do update set
      -- A failure after a disable starts a new failing period (the subscription was resumed).
      failing_since = case when ${anyOk} then null
        when h.failing_since is null or h.failing_since <= h.disabled_at then ${now}
        else h.failing_since end,
      last_success_at = case when ${anyOk} then ${now} else h.last_success_at end,
      last_failure_at = case when ${failed + dead > 0} then ${now} else h.last_failure_at end
    returning failing_since
  `.execute(ex);
    return health.rows[0]?.failing_since;
  };
  const batch = { taken: sent.length, delivered, failed, dead };
  if (anyOk) {
    await write(o.db);
    return { ...batch, disabled: false };
  }
  // Nothing got through: the subscription may have failed for too long. The rows move and the
  // suspension commit together, so no other claim retries them in between.
  const outcome = await o.db.transaction().execute(async (trx) => {
    const since = await write(trx);
    if (!since || o.now() - new Date(since).getTime() < o.disableAfterMs) return null;
    return disableIn(trx, target, since, now);
  });
  if (outcome?.reason)
    o.log.warn({ target: target.name, reason: outcome.reason }, 'webhook subscription disabled');
  return { ...batch, disabled: outcome !== null };
}

/**
 * Suspends a subscription failing since `since`, with the admin notice (once: `reason` only
 * when this call suspended it).
 */
async function disableIn(
  trx: Executor,
  target: { id: number; name: string },
  since: Date,
  now: Date,
): Promise<{ reason: string | null }> {
  const reason = `failing since ${new Date(since).toISOString()} without a success`;
  const suspended = await trx
    .updateTable('target')
    .set((eb) => ({ state: 'suspended', version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', target.id)
    .where('state', '=', 'active')
    .executeTakeFirst();
  if (Number(suspended.numUpdatedRows) === 0) return { reason: null }; // another batch did it
  await trx
    .updateTable('webhook_health')
    .set({ disabled_at: now, disabled_reason: reason })
    .where('target_id', '=', target.id)
    .execute();
  // The admin notice: an audit row (GET /v1/webhooks/{name} shows disabledAt and why).
  await insertAudit(trx, {
    actor: 'webhooks:auto-disable',
    action: 'webhooks.disabled',
    details: { target: target.name, reason },
  });
  return { reason };
}
