// Same shape as packages/scheduler effects.ts (helper 5): declared here structurally so that this
// package builds on its own; the integrator replaces these declarations with the import.
import type { Clock, Transition, TransitionType } from '@aaf-sync/calendar';
import type { Database, Kysely } from '@aaf-sync/db';
import type { Logger } from '@aaf-sync/logger';

/** A notice for people, stored, readable in an API inbox and announced as `notice.<kind>`. */
export interface NoticeInput {
  readonly kind: string;
  /** Concerned establishments; [] = académie-wide. */
  readonly uais: readonly string[];
  /** Person ids the notice is addressed to; absent = the establishments' admins. */
  readonly managers?: readonly number[];
  readonly title: string;
  readonly body: string;
  readonly data?: Readonly<Record<string, unknown>>;
  /** Same key twice → one notice (idempotent effects). */
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
