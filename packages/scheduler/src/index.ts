export type {
  EffectContext,
  EffectOutcome,
  EffectRegistry,
  NoticeInput,
  TransitionEffect,
} from './effects.js';
export { SchedulerErrors } from './errors.js';
export { NoticeInputSchema, recordNotice, type RecordedNotice } from './notices.js';
export { listNotices, markNoticeRead, type NoticeFilter, type NoticeView } from './notice-inbox.js';
export {
  DEFAULT_RETRY_BASE_MS,
  DEFAULT_RETRY_MAX_MS,
  nextWakeUp,
  retryDelay,
  runDue,
  type RunDueResult,
  type SchedulerDeps,
} from './run-due.js';
export { joinedTransaction } from './joined-transaction.js';
export { effectContext } from './effect-context.js';
export { runTick, type TickResult, type TickTask, type TickTaskOutcome } from './run-tick.js';
export { listTransitionRows, SCHEDULER_LOCK } from './transition-log.repository.js';
export { resumeTargets, suspendTargets } from './feed-targets.js';
export {
  resubmitSuspended,
  type ArchiveFolders,
  type DirectoryResumption,
} from './directory-resume.js';
export { feedEffects } from './feed-effects.js';
export { deliveryEffects, DEFAULT_ALERT_WITHIN_MS } from './delivery-effects.js';
export { monthsBefore, purgeArchiveBefore, retentionEffects } from './retention-effects.js';
export { allEffects, coreEffects, type CoreEffectOptions } from './registry.js';
export { CalendarQueue, dueJobId, TICK_SCHEDULER_ID } from './calendar-queue.js';
export {
  createSchedulerRuntime,
  type SchedulerRuntime,
  type SchedulerRuntimeOptions,
} from './scheduler-runtime.js';
