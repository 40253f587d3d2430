import {
  insertAudit,
  sql,
  type Database,
  type Executor,
  type Kysely,
  type WebhookDelivery,
} from '@aaf-sync/db';
import type { Logger } from '@aaf-sync/logger';
import { openSecrets, type SecretBox } from '@aaf-sync/targets';
import type { Backoff } from './backoff.js';
import { postJson, type HttpSafety, type PostResult } from './http-client.js';
import type { Limiter } from './limiter.js';
import { sign } from './signature.js';

const unlimited: Limiter = (fn) => fn();

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
  /**
   * How long claimed rows are held before another claim may take them again (a process that
   * died mid-send); default the total timeout + 30 s. Longer when batches queue for HTTP.
   */
  readonly leaseMs?: number;
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
function signingSecrets(secrets: Readonly<Record<string, unknown>>, now: number): string[] {
  const out = [String(secrets.signingSecret)];
  const until = typeof secrets.previousUntil === 'string' ? Date.parse(secrets.previousUntil) : 0;
  if (typeof secrets.previousSecret === 'string' && until > now) out.push(secrets.previousSecret);
  return out;
}

/**
 * Takes up to `limit` due deliveries of one subscription (`for update skip locked`; only the
 * oldest pending row of each entity, so order per entity holds) and leases them (their
 * `next_attempt_at` moves past the total timeout: a process dying mid-send lets them come back),
 * in one statement committed before any HTTP happens. Nothing when the subscription is not an
 * active webhook any more. Each row carries the subscription's `version` (a change reloads it).
 */
async function claim(
  o: DeliverOptions,
  targetId: number,
  limit: number,
): Promise<(WebhookDelivery & { target_version: number })[]> {
  const now = new Date(o.now());
  const lease = new Date(o.now() + (o.leaseMs ?? o.safety.totalTimeoutMs + 30_000));
  const rows = await sql<WebhookDelivery & { target_version: number }>`
    with sub as (
      select id, version from target
      where id = ${targetId} and state = 'active' and kind = 'webhook'
    ), due as (
      select d.id from webhook_delivery d
      where d.target_id = (select id from sub) and d.status = 'pending'
        and d.next_attempt_at <= ${now}
        -- The oldest pending row of its entity (a scalar subquery: always an index lookup per
        -- row, whatever the statistics; an anti-join planned on a fresh table was quadratic).
        and d.seq = (select min(e.seq) from webhook_delivery e
          where e.target_id = d.target_id and e.entity_key = d.entity_key
            and e.status = 'pending')
      order by d.seq, d.id
      limit ${limit}
      for update of d skip locked
    )
    update webhook_delivery d set next_attempt_at = ${lease}
    from due where d.id = due.id
    returning d.*, (select version from sub) as target_version
  `.execute(o.db);
  return rows.rows.sort((a, b) => Number(a.seq) - Number(b.seq));
}

/**
 * Records each attempt, moves each row on (delivered, retry later, dead) and the health, in one
 * statement (one round trip); when nothing succeeded for `disableAfterMs`, disables the
 * subscription with an admin notice.
 */
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
  const anyOk = delivered > 0;
  // Data-modifying CTEs run exactly once, in the statement's single snapshot: one round trip.
  const write = async (ex: Executor) => {
    const health = await sql<{ failing_since: Date | null }>`
    with u as (
      select * from json_to_recordset(${JSON.stringify(updates)}::json)
        as u(id bigint, attempts int, status text, next timestamptz, code int, error text,
          ok boolean, at timestamptz, ms float8, excerpt text)
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

/** What signs and where to: a subscription as its deliveries need it (secrets opened). */
export interface Sender {
  readonly id: number;
  readonly name: string;
  readonly url: string;
  readonly version: number;
  /** The opened secrets (which of them sign is decided at each batch: rotation window). */
  readonly secrets: Readonly<Record<string, unknown>>;
}

/** The sender of an active webhook subscription (undefined: gone, suspended, not a webhook). */
export async function loadSender(o: DeliverOptions, targetId: number): Promise<Sender | undefined> {
  const target = await o.db
    .selectFrom('target')
    .selectAll()
    .where('id', '=', targetId)
    .executeTakeFirst();
  if (!target || target.state !== 'active' || target.kind !== 'webhook') return undefined;
  return {
    id: Number(target.id),
    name: target.name,
    url: String(target.options.url),
    version: Number(target.version),
    secrets: openSecrets(o.box, target),
  };
}

/**
 * Sends one batch of at most `limit` (default `concurrency`) due deliveries of a subscription
 * (in parallel — at most as many at once as `http` lets through, shared by the lanes of a
 * job —, over the origin's keep-alive connections, signed with its current secrets and
 * the previous one inside the rotation window) and records the outcome. `sender` saves a read
 * of the subscription (it is reloaded when its version moved). Undefined when the subscription
 * is not an active webhook; `taken` 0 when nothing is due. The secrets are never logged.
 */
export async function deliverBatch(
  o: DeliverOptions,
  targetId: number,
  sender?: Sender,
  limit = o.concurrency,
  http: Limiter = unlimited,
): Promise<(DeliverBatch & { sender: Sender }) | undefined> {
  let current = sender ?? (await loadSender(o, targetId));
  if (!current) return undefined;
  const rows = await claim(o, targetId, limit);
  if (rows.length === 0)
    return { taken: 0, delivered: 0, failed: 0, dead: 0, disabled: false, sender: current };
  if (rows[0]?.target_version !== current.version) {
    current = await loadSender(o, targetId);
    if (!current) return undefined; // cannot happen while leased rows were returned
  }
  const url = current.url;
  const secrets = signingSecrets(current.secrets, o.now());
  const sent = await Promise.all(
    rows.map(async (row) => {
      return http(async () => {
        const at = new Date(o.now());
        const headers = sign(secrets, `msg_${row.id}`, Math.floor(at.getTime() / 1000), row.body);
        const result = await postJson(url, { ...headers }, row.body, o.safety);
        return { row, result, at };
      });
    }),
  );
  const batch = await record(o, current, sent);
  if (batch.failed + batch.dead > 0)
    o.log.debug({ target: current.name, ...batch }, 'webhook deliveries failed');
  return { ...batch, sender: current };
}

/**
 * When the subscription's next delivery can be sent (null: none pending): the earliest
 * `next_attempt_at` among the oldest pending row of each entity. A row waiting behind an older
 * one of its entity is not due whatever its own time (counting it made a retry's job be
 * scheduled "now", find nothing due, and reschedule itself under its own id: a no-op).
 */
export async function nextDueAt(db: Kysely<Database>, targetId: number): Promise<Date | null> {
  const row = await sql<{ at: Date | null }>`
    select min(h.next_attempt_at) as at from (
      select distinct on (entity_key) next_attempt_at from webhook_delivery
      where target_id = ${targetId} and status = 'pending'
      order by entity_key, seq
    ) h
  `.execute(db);
  const at = row.rows[0]?.at;
  return at ? new Date(at) : null;
}
