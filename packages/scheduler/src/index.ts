export type {
  EffectContext,
  EffectOutcome,
  EffectRegistry,
  NoticeInput,
  TransitionEffect,
} from './effects.js';
