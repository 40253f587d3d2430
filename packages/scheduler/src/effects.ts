import type { Database, Kysely } from '@aaf-sync/db';
import type { Clock, Transition, TransitionType } from '@aaf-sync/calendar';
import type { Logger } from '@aaf-sync/logger';

/** A notice for people (managers, establishment admins, the académie): stored, readable in an
 * API inbox, and announced as a `notice.<kind>` event in the event log (webhooks deliver it). */
export interface NoticeInput {
  readonly kind: string; // 'delivery.missing', 'groups.warning', 'groups.summary', 'campaign.preview', ...
  readonly uais: readonly string[]; // concerned establishments; [] = académie-wide
  readonly managers?: readonly number[]; // person ids the notice is addressed to (group managers); absent = the establishments' admins
  readonly title: string;
  readonly body: string;
  readonly data?: Readonly<Record<string, unknown>>;
  readonly dedupeKey: string; // same key twice → one notice (idempotent effects)
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
