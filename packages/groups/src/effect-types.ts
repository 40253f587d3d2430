// Same shape as packages/scheduler effects.ts (declared here structurally until the integrator
// replaces these declarations with `import type … from '@aaf-sync/scheduler'`).
import type { Database, Kysely } from '@aaf-sync/db';
import type { Clock, Transition, TransitionType } from '@aaf-sync/calendar';
import type { Logger } from '@aaf-sync/logger';

/** A notice for people: stored, readable in an API inbox, announced as a `notice.<kind>` event. */
export interface NoticeInput {
  readonly kind: string;
  readonly uais: readonly string[];
  readonly managers?: readonly number[];
  readonly title: string;
  readonly body: string;
  readonly data?: Readonly<Record<string, unknown>>;
  readonly dedupeKey: string;
}

export interface EffectContext {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly log: Logger;
  notify(notice: NoticeInput): Promise<void>;
}

export interface EffectOutcome {
  readonly summary: string;
  readonly counts?: Readonly<Record<string, number>>;
}

/** Runs one due transition. Must be idempotent: running it twice changes nothing more. */
export type TransitionEffect = (ctx: EffectContext, t: Transition) => Promise<EffectOutcome>;
export type EffectRegistry = Partial<Record<TransitionType, TransitionEffect>>;
