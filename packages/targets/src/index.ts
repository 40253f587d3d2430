export { TargetsErrors } from './errors.js';
export {
  KIND_SCHEMAS,
  OUTBOX_KINDS,
  TARGET_KINDS,
  TargetDefinition,
  TargetName,
  TargetPatch,
  Uais,
  WEBHOOK_EVENT_TYPE_PATTERN,
  type TargetKindName,
} from './kinds.js';
export { createSecretBox, secretKeyId, type SealedSecrets, type SecretBox } from './secret-box.js';
export { toTargetView, type TargetView } from './target-view.js';
export {
  createTarget,
  findTarget,
  getTarget,
  listTargets,
  openSecrets,
  removeTarget,
  setTargetState,
  updateTarget,
  type TargetScope,
} from './target.repository.js';
export { eventHead, fullReconcile } from './full-reconcile.js';
export {
  groupPurgesDue,
  purgeGroupsBatch,
  type GroupPurgeBatch,
  type GroupPurgeOptions,
} from './group-purge.js';
export { dispatchAll, dispatchTarget, type DispatchResult } from './dispatcher.js';
export type {
  Account,
  AccountChild,
  AccountMef,
  AccountSubject,
  ClassRef,
  MembershipRef,
  ApplyItem,
  ApplyResult,
  DesiredEntry,
  DriverContext,
  DriverFactory,
  DriverRegistry,
  DriverTarget,
  GroupPurgeItem,
  GroupPurgeResult,
  HeldEntry,
  TargetDriver,
} from './driver.js';
export {
  chunkAccountsFor,
  reconcileTarget,
  type ReconcileAction,
  type ReconcileCounts,
  type ReconcileDifference,
  type ReconcileReport,
  type ReconcileTimings,
} from './reconcile-target.js';
export { driverFor } from './driver-for.js';
export { loadAccounts } from './account-source.js';
export {
  nextRetryAt,
  reconcileBatch,
  type BatchResult,
  type ReconcileOptions,
} from './reconcile.js';
export {
  createNoopLedger,
  noopDriver,
  type NoopApplication,
  type NoopLedger,
} from './noop-driver.js';
export {
  reconcileDue,
  type ReconcileDueOptions,
  type ReconcileDueResult,
} from './reconcile-due.js';
export { consumerStatuses, resetConsumer, type ConsumerStatus } from './consumer-status.js';
export {
  listProvisioning,
  PROVISIONING_STATUSES,
  targetGauges,
  targetStatus,
  type ProvisioningRowView,
  type TargetGauge,
  type TargetStatus,
} from './target-status.js';
export { TargetsQueue } from './target-queue.js';
export {
  eventWindowOf,
  eventWindowSql,
  nextEventWindow,
  type EventWindow,
} from './event-window.js';
export { createLogFollower, type LogFollower, type LogFollowerOptions } from './log-follower.js';
export type { LogConsumerOptions } from './log-consumer-options.js';
export { enqueueDue, targetJobs, type DueTarget, type EnqueueTarget } from './target-jobs.js';
export {
  CHANGE_EVENT_CHANNEL,
  createTargetsRuntime,
  type PeriodicTask,
  type TargetsRuntime,
  type TargetsRuntimeOptions,
} from './targets-runtime.js';
export {
  AttributePolicy,
  AttributeSource,
  AttributeSourceName,
  ScribeProfile,
  ScribeProfileOverrides,
} from './scribe-profile-schema.js';
export { AdProfile, AdProfileOverrides } from './ad-profile-schema.js';
