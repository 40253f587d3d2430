export { WebhooksErrors } from './errors.js';
export {
  generateSecret,
  isSecret,
  secretKey,
  sign,
  signature,
  verify,
  SECRET_PREFIX,
  type VerifyOptions,
  type WebhookHeaders,
} from './signature.js';
export { createBackoff, RETRY_SCHEDULE_SECONDS, type Backoff } from './backoff.js';
export {
  assertDeliverableUrl,
  EXCERPT_BYTES,
  excerptOf,
  isReservedAddress,
  postJson,
  type HttpSafety,
  type PostResult,
} from './http-client.js';
export {
  EVENT_TYPE_PATTERN,
  EVENT_TYPES,
  isKnownPattern,
  wantsType,
  type EventType,
} from './event-types.js';
export { project, type LogEvent, type WebhookPayload } from './payload.js';
export { fillOutbox, replay, WEBHOOK_CHANNEL, type FillResult } from './outbox.js';
export { purgeDelivered } from './outbox-purge.js';
export {
  loadSender,
  nextDueAt,
  type DeliverBatch,
  type DeliverOptions,
  type Sender,
} from './deliver.js';
export type { DeliveryProbe } from './delivery-probe.js';
export { pumpDeliveries, type PumpLimits, type PumpResult } from './delivery-pump.js';
export { listAttempts, type AttemptView } from './delivery-log.js';
export {
  createSubscription,
  findSubscription,
  getSubscription,
  listSubscriptions,
  removeSubscription,
  rotateSecret,
  SubscriptionInput,
  SubscriptionPatch,
  updateSubscription,
  type SubscriptionContext,
  type SubscriptionView,
} from './subscriptions.js';
export { WebhooksQueue } from './webhook-queue.js';
export {
  createWebhooksRuntime,
  type WebhooksRuntime,
  type WebhooksRuntimeOptions,
} from './webhooks-runtime.js';
export {
  etagMatches,
  readSnapshot,
  snapshotCsv,
  snapshotJson,
  SNAPSHOT_CSV_COLUMNS,
  SNAPSHOT_PROFILES,
  type Snapshot,
  type SnapshotItem,
  type SnapshotManifest,
} from './snapshot.js';
export { REPORT_STATUSES, SnapshotReportInput, storeReport } from './snapshot-report.js';
