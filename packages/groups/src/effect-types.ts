// The effect contract of the scheduler (packages/scheduler effects.ts), used by this package's
// calendar effects.
export type {
  EffectContext,
  EffectOutcome,
  EffectRegistry,
  NoticeInput,
  TransitionEffect,
} from '@aaf-sync/scheduler';
