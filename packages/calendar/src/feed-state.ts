import type { CalendarDocument } from './document.schema.js';
import { consumerWindow, type FeedConsumer, type ResolvedWindow } from './feed-windows.js';
import { localToInstant } from './local-time.js';

/**
 * - `off`: files are received, planned and reported, not applied (directory) or not pushed
 *   (targets);
 * - `waiting-initialisation`: the resumption date has passed but the establishment's
 *   initialisation complete of the new year has not been applied yet;
 * - `open`: files are applied / pushed.
 */
export type FeedStateName = 'off' | 'waiting-initialisation' | 'open';

export interface FeedState {
  readonly state: FeedStateName;
  /** When this state began, when the calendar knows it. */
  readonly since: Date | null;
  /** When the calendar will change it (null: on an event, or not in this document). */
  readonly until: Date | null;
  readonly reason: string;
  readonly window: ResolvedWindow;
}

export interface FeedFacts {
  /**
   * When the initialisation complete of the new year was applied for the establishment in
   * question (the directory knows it; null: not yet).
   */
  readonly initialisationAppliedAt?: Date | null | undefined;
}

/**
 * The feed state of a consumer at `at`, for one establishment (whose facts the caller gives).
 * The summer window comes from the document: the directory's own, or the target's (byTarget
 * over byKind over default). After its resumption date a consumer waits for the establishment's
 * initialisation complete; a target then resumes with a full reconcile.
 */
export function feedState(
  doc: CalendarDocument,
  consumer: FeedConsumer,
  at: Date,
  facts: FeedFacts = {},
): FeedState {
  const window = consumerWindow(doc, consumer);
  const suspend = localToInstant(window.suspendFrom, doc.timeZone);
  const resume = localToInstant(window.resumeOn, doc.timeZone);
  const t = at.getTime();
  if (t < suspend.getTime()) {
    return {
      state: 'open',
      since: null,
      until: suspend,
      reason: 'before the summer suspension',
      window,
    };
  }
  if (t < resume.getTime()) {
    return { state: 'off', since: suspend, until: resume, reason: 'summer suspension', window };
  }
  const applied = facts.initialisationAppliedAt ?? null;
  if (!applied || applied.getTime() > t) {
    return {
      state: 'waiting-initialisation',
      since: resume,
      until: null,
      reason: 'resumption date passed; waiting for the initialisation complete',
      window,
    };
  }
  const since = applied.getTime() > resume.getTime() ? applied : resume;
  return { state: 'open', since, until: null, reason: 'resumed', window };
}
