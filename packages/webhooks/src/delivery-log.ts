import { sql, type Database, type Kysely, type WebhookDeliveryStatus } from '@aaf-sync/db';

export interface AttemptView {
  readonly id: number;
  readonly deliveryId: number;
  readonly webhookId: string;
  readonly seq: number;
  readonly eventType: string;
  readonly entity: string;
  readonly attempt: number;
  readonly attemptedAt: string;
  readonly ok: boolean;
  readonly statusCode: number | null;
  readonly latencyMs: number;
  readonly responseExcerpt: string | null;
  readonly error: string | null;
  /** The delivery's state now: pending (to retry), delivered, dead (dead letter). */
  readonly deliveryStatus: WebhookDeliveryStatus;
}

/**
 * The delivery log of a subscription, newest first (keyset on the attempt id): one entry per
 * attempt with its status code, latency and response excerpt (≤ 1 KB). `status: 'dead'` lists
 * the attempts of dead letters only.
 */
export async function listAttempts(
  db: Kysely<Database>,
  targetId: number,
  o: { before?: number; limit: number; status?: 'pending' | 'delivered' | 'dead' },
): Promise<{ items: AttemptView[]; next: string | null }> {
  const rows = await sql<{
    id: string;
    delivery_id: string;
    seq: string;
    event_type: string;
    entity_key: string;
    attempt: number;
    attempted_at: Date;
    ok: boolean;
    status_code: number | null;
    latency_ms: number;
    response_excerpt: string | null;
    error: string | null;
    status: WebhookDeliveryStatus;
  }>`
    select a.id, a.delivery_id, d.seq, d.event_type, d.entity_key, a.attempt, a.attempted_at, a.ok,
      a.status_code, a.latency_ms, a.response_excerpt, a.error, d.status
    from webhook_attempt a join webhook_delivery d on d.id = a.delivery_id
    where a.target_id = ${targetId}
      ${o.before !== undefined ? sql`and a.id < ${o.before}` : sql``}
      ${o.status !== undefined ? sql`and d.status = ${o.status}` : sql``}
    order by a.id desc
    limit ${o.limit + 1}
  `.execute(db);
  const items = rows.rows.slice(0, o.limit).map((r) => ({
    id: Number(r.id),
    deliveryId: Number(r.delivery_id),
    webhookId: `msg_${r.delivery_id}`,
    seq: Number(r.seq),
    eventType: r.event_type,
    entity: r.entity_key,
    attempt: r.attempt,
    attemptedAt: new Date(r.attempted_at).toISOString(),
    ok: r.ok,
    statusCode: r.status_code,
    latencyMs: Number(r.latency_ms),
    responseExcerpt: r.response_excerpt,
    error: r.error,
    deliveryStatus: r.status,
  }));
  const last = items.at(-1);
  return { items, next: rows.rows.length > o.limit && last ? String(last.id) : null };
}
