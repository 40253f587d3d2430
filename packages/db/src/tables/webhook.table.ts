import type { Generated, Selectable } from 'kysely';
import type { Timestamp } from './import.table.js';

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One event for one webhook subscription (migration 0012): the outbox row and its retries. */
export interface WebhookDeliveryTable {
  id: Generated<number>;
  target_id: number;
  seq: number;
  event_type: string;
  entity_key: string;
  body: string;
  status: Generated<WebhookDeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  created_at: Generated<Date>;
  occurred_at: Timestamp;
  delivered_at: Timestamp | null;
  last_status: number | null;
  last_error: string | null;
  replayed_at: Timestamp | null;
}

/** The delivery log: one row per attempt. */
export interface WebhookAttemptTable {
  id: Generated<number>;
  delivery_id: number;
  target_id: number;
  attempt: number;
  attempted_at: Timestamp;
  ok: boolean;
  status_code: number | null;
  latency_ms: number;
  response_excerpt: string | null;
  error: string | null;
}

/** How long a subscription has been failing; when it was disabled for it. */
export interface WebhookHealthTable {
  target_id: number;
  failing_since: Timestamp | null;
  last_success_at: Timestamp | null;
  last_failure_at: Timestamp | null;
  disabled_at: Timestamp | null;
  disabled_reason: string | null;
}

/** What a pedagogical server's agent read back for an account (POST /v1/snapshots/{uai}/reports). */
export interface SnapshotReportTable {
  reporter: string;
  uai: string;
  person_jointure: string;
  login: string | null;
  home_path: string | null;
  status: string;
  detail: string | null;
  reported_at: Generated<Date>;
}

export type WebhookDelivery = Selectable<WebhookDeliveryTable>;
export type WebhookAttempt = Selectable<WebhookAttemptTable>;
