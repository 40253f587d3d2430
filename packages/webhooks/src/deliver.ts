import { sql, type Database, type Kysely } from '@aaf-sync/db';
import type { Logger } from '@aaf-sync/logger';
import { openSecrets, type SecretBox } from '@aaf-sync/targets';
import type { Backoff } from './backoff.js';
import type { DeliveryProbe } from './delivery-probe.js';
import type { HttpSafety } from './http-client.js';

export interface DeliverOptions {
  readonly db: Kysely<Database>;
  readonly box: SecretBox;
  readonly log: Logger;
  readonly safety: HttpSafety;
  readonly backoff: Backoff;
  /** Deliveries of one subscription in flight at once (WEBHOOK_CONCURRENCY). */
  readonly concurrency: number;
  /** A subscription failing without a single success for this long is disabled. */
  readonly disableAfterMs: number;
  /** The clock (milliseconds); tests move it instead of sleeping. */
  readonly now: () => number;
  /** Stage hooks (benchmarks, tests). */
  readonly probe?: DeliveryProbe | undefined;
}

/** What a number of deliveries came to (a record statement's, or a whole job's). */
export interface DeliverBatch {
  readonly taken: number;
  readonly delivered: number;
  readonly failed: number;
  readonly dead: number;
  /** The subscription was disabled (failing for too long). */
  readonly disabled: boolean;
}

/** The secrets that sign now: the current one, and the previous one inside its window. */
export function signingSecrets(secrets: Readonly<Record<string, unknown>>, now: number): string[] {
  const out = [String(secrets.signingSecret)];
  const until = typeof secrets.previousUntil === 'string' ? Date.parse(secrets.previousUntil) : 0;
  if (typeof secrets.previousSecret === 'string' && until > now) out.push(secrets.previousSecret);
  return out;
}

/** What signs and where to: a subscription as its deliveries need it (secrets opened). */
export interface Sender {
  readonly id: number;
  readonly name: string;
  readonly url: string;
  readonly version: number;
  /** The opened secrets (which of them sign is decided at each send: rotation window). */
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
