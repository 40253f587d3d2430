import { insertAudit, sql, type Database, type Kysely, type WebhookDelivery } from '@aaf-sync/db';
import type { Logger } from '@aaf-sync/logger';
import { openSecrets, type SecretBox } from '@aaf-sync/targets';
import type { Backoff } from './backoff.js';
import { postJson, type HttpSafety, type PostResult } from './http-client.js';
import { sign } from './signature.js';

export interface DeliverOptions {
  readonly db: Kysely<Database>;
  readonly box: SecretBox;
  readonly log: Logger;
  readonly safety: HttpSafety;
  readonly backoff: Backoff;
  /** Deliveries sent at once (and taken per batch). */
  readonly concurrency: number;
  /** A subscription failing without a single success for this long is disabled. */
  readonly disableAfterMs: number;
  /** The clock (milliseconds); tests move it instead of sleeping. */
  readonly now: () => number;
}

export interface DeliverBatch {
  readonly taken: number;
  readonly delivered: number;
  readonly failed: number;
  readonly dead: number;
  /** The subscription was disabled after this batch (failing for too long). */
  readonly disabled: boolean;
}

/** The secrets that sign now: the current one, and the previous one inside its window. */
function signingSecrets(secrets: Record<string, unknown>, now: number): string[] {
  const out = [String(secrets.signingSecret)];
  const until = typeof secrets.previousUntil === 'string' ? Date.parse(secrets.previousUntil) : 0;
  if (typeof secrets.previousSecret === 'string' && until > now) out.push(secrets.previousSecret);
  return out;
}

/**
 * Takes up to `concurrency` due deliveries of one subscription (`for update skip locked`; only
 * the oldest pending row of each entity, so order per entity holds) and leases them (their
 * `next_attempt_at` moves past the total timeout: a process dying mid-send lets them come back),
 * then commits before any HTTP happens.
 */
async function claim(o: DeliverOptions, targetId: number): Promise<WebhookDelivery[]> {
  const now = new Date(o.now());
  const lease = new Date(o.now() + o.safety.totalTimeoutMs + 30_000);
  const rows = await sql<WebhookDelivery>`
    with due as (
      select d.id from webhook_delivery d
      where d.target_id = ${targetId} and d.status = 'pending' and d.next_attempt_at <= ${now}
        -- The oldest pending row of its entity (a scalar subquery: always an index lookup per
        -- row, whatever the statistics; an anti-join planned on a fresh table was quadratic).
        and d.seq = (select min(e.seq) from webhook_delivery e
          where e.target_id = d.target_id and e.entity_key = d.entity_key
            and e.status = 'pending')
      order by d.seq, d.id
      limit ${o.concurrency}
      for update skip locked
    )
    update webhook_delivery d set next_attempt_at = ${lease}
    from due where d.id = due.id
    returning d.*
  `.execute(o.db);
  return rows.rows.sort((a, b) => Number(a.seq) - Number(b.seq));
}

/** Records each attempt, moves each row on (delivered, retry later, dead), and the health. */
async function record(
  o: DeliverOptions,
  target: { id: number; name: string },
  sent: readonly { row: WebhookDelivery; result: PostResult; at: Date }[],
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
  return o.db.transaction().execute(async (trx) => {
    const json = JSON.stringify(updates);
    await sql`
      update webhook_delivery d set attempts = u.attempts, status = u.status,
        next_attempt_at = u.next, last_status = u.code, last_error = u.error,
        delivered_at = case when u.ok then u.at else d.delivered_at end
      from json_to_recordset(${json}::json)
        as u(id bigint, attempts int, status text, next timestamptz, code int, error text,
          ok boolean, at timestamptz)
      where d.id = u.id
    `.execute(trx);
    await sql`
      insert into webhook_attempt (delivery_id, target_id, attempt, attempted_at, ok, status_code,
        latency_ms, response_excerpt, error)
      select u.id, ${target.id}, u.attempts, u.at, u.ok, u.code, u.ms, u.excerpt, u.error
      from json_to_recordset(${json}::json)
        as u(id bigint, attempts int, at timestamptz, ok boolean, code int, ms float8,
          excerpt text, error text)
    `.execute(trx);
    const anyOk = delivered > 0;
    const health = await sql<{ failing_since: Date | null }>`
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
    `.execute(trx);
    const since = health.rows[0]?.failing_since;
    let disabled = false;
    if (!anyOk && since && o.now() - new Date(since).getTime() >= o.disableAfterMs) {
      const reason = `failing since ${new Date(since).toISOString()} without a success`;
      await trx
        .updateTable('target')
        .set((eb) => ({ state: 'suspended', version: eb('version', '+', 1), updated_at: now }))
        .where('id', '=', target.id)
        .where('state', '=', 'active')
        .execute();
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
      o.log.warn({ target: target.name, reason }, 'webhook subscription disabled');
      disabled = true;
    }
    return { taken: sent.length, delivered, failed, dead, disabled };
  });
}

/**
 * Sends one batch of a subscription's due deliveries (in parallel, signed with its current
 * secrets and the previous one inside the rotation window) and records the outcome. Resolves to
 * what happened; `taken` 0 when nothing is due. The secrets are never logged.
 */
export async function deliverBatch(
  o: DeliverOptions,
  targetId: number,
): Promise<DeliverBatch | undefined> {
  const target = await o.db
    .selectFrom('target')
    .selectAll()
    .where('id', '=', targetId)
    .executeTakeFirst();
  if (!target || target.state !== 'active' || target.kind !== 'webhook') return undefined;
  const rows = await claim(o, targetId);
  if (rows.length === 0) return { taken: 0, delivered: 0, failed: 0, dead: 0, disabled: false };
  const secrets = signingSecrets(openSecrets(o.box, target), o.now());
  const url = String(target.options.url);
  const sent = await Promise.all(
    rows.map(async (row) => {
      const at = new Date(o.now());
      const headers = sign(secrets, `msg_${row.id}`, Math.floor(at.getTime() / 1000), row.body);
      const result = await postJson(url, { ...headers }, row.body, o.safety);
      return { row, result, at };
    }),
  );
  const batch = await record(o, { id: Number(target.id), name: target.name }, sent);
  if (batch.failed + batch.dead > 0)
    o.log.debug({ target: target.name, ...batch }, 'webhook deliveries failed');
  return batch;
}

/** When the subscription's next pending delivery is due (null: none pending). */
export async function nextDueAt(db: Kysely<Database>, targetId: number): Promise<Date | null> {
  const row = await db
    .selectFrom('webhook_delivery')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('target_id', '=', targetId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}
