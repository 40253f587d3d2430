import {
  pendingTransitions,
  type Clock,
  type Transition,
  type TransitionType,
} from '@aaf-sync/calendar';
import { loadBlockingOverrides, loadCalendar } from '@aaf-sync/calendar-store';
import type { Database, Kysely } from '@aaf-sync/db';
import type { Logger } from '@aaf-sync/logger';
import { effectContext } from './effect-context.js';
import type { EffectRegistry } from './effects.js';
import { joinedTransaction } from './joined-transaction.js';
import { recordNotice } from './notices.js';
import {
  claimRow,
  doneIds,
  failingRows,
  lockScheduler,
  markDone,
  markFailed,
} from './transition-log.repository.js';

export interface SchedulerDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly log: Logger;
  /** What each transition type does (packages/scheduler `coreEffects` + the other packages'). */
  readonly effects: EffectRegistry;
  /** First retry delay after a failure (default 1 minute), doubled per attempt… */
  readonly retryBaseMs?: number;
  /** …up to this (default 1 hour). */
  readonly retryMaxMs?: number;
}

export interface RunDueResult {
  /** The calendar version planned from (null: no calendar stored, nothing to do). */
  readonly calendarVersion: number | null;
  readonly ran: readonly { id: string; type: TransitionType; summary: string }[];
  readonly failed: readonly { id: string; error: string; attempts: number; nextAttemptAt: Date }[];
  /** Failed earlier; their next attempt is later. */
  readonly waiting: readonly string[];
  /** Due, but no effect is registered for their type (they stay pending). */
  readonly unhandled: readonly string[];
}

export const DEFAULT_RETRY_BASE_MS = 60_000;
export const DEFAULT_RETRY_MAX_MS = 3_600_000;

/** Delay before attempt `attempts + 1`: base × 2^(attempts − 1), capped. */
export function retryDelay(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

function errorOf(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { ...(typeof code === 'string' ? { code } : {}), message: err.message };
  }
  return { message: String(err) };
}

/**
 * Runs every transition of the stored calendar (with the establishments' blocking overrides)
 * due at `now` and not recorded done, in calendar order, each once: however long the scheduler
 * was down, a missed transition runs when it comes back, and running this twice does nothing
 * more. Each transition runs in its own transaction with its `done` mark (effects that open a
 * transaction join it); a failing one rolls back, is recorded with its error and retried with
 * backoff (and announced once by a `scheduler.transition-failed` notice), and the others still
 * run. Runs are serialised across processes.
 */
export async function runDue(
  deps: SchedulerDeps,
  now: Date = deps.clock.now(),
): Promise<RunDueResult> {
  const { db, log } = deps;
  const calendar = await loadCalendar(db);
  if (!calendar) {
    return { calendarVersion: null, ran: [], failed: [], waiting: [], unhandled: [] };
  }
  const overrides = await loadBlockingOverrides(db);
  const done = await doneIds(db);
  const failing = await failingRows(db);
  const due = pendingTransitions(calendar.document, now, done, { blockingOverrides: overrides });
  const ran: { id: string; type: TransitionType; summary: string }[] = [];
  const failed: { id: string; error: string; attempts: number; nextAttemptAt: Date }[] = [];
  const waiting: string[] = [];
  const unhandled: string[] = [];
  const clock: Clock = { now: () => now };
  for (const t of due) {
    const effect = deps.effects[t.type];
    if (!effect) {
      unhandled.push(t.id);
      continue;
    }
    const previous = failing.get(t.id);
    if (previous?.next_attempt_at && previous.next_attempt_at.getTime() > now.getTime()) {
      waiting.push(t.id);
      continue;
    }
    const startedAt = now;
    try {
      const outcome = await db.transaction().execute(async (trx) => {
        await lockScheduler(trx);
        const row = await claimRow(trx, {
          id: t.id,
          type: t.type,
          dueAt: t.at,
          calendarVersion: calendar.version,
          now,
        });
        if (row.done_at) return null; // another process ran it meanwhile
        // Notices go through the joined transaction: they commit with the transition.
        const ctx = effectContext({
          db: joinedTransaction(trx),
          clock,
          log: log.child({ transition: t.id }),
        });
        const result = await effect(ctx, t);
        await markDone(trx, t.id, {
          now,
          startedAt,
          outcome: { summary: result.summary, counts: result.counts ?? {} },
          calendarVersion: calendar.version,
        });
        return result;
      });
      if (outcome) {
        ran.push({ id: t.id, type: t.type, summary: outcome.summary });
        log.info({ transition: t.id, outcome }, 'calendar transition done');
      }
    } catch (err) {
      const attempts = (previous?.attempts ?? 0) + 1;
      const nextAttemptAt = new Date(
        now.getTime() +
          retryDelay(
            attempts,
            deps.retryBaseMs ?? DEFAULT_RETRY_BASE_MS,
            deps.retryMaxMs ?? DEFAULT_RETRY_MAX_MS,
          ),
      );
      const error = errorOf(err);
      await reportFailure(deps, t, calendar.version, { attempts, error, nextAttemptAt, startedAt });
      failed.push({ id: t.id, error: String(error.message), attempts, nextAttemptAt });
    }
  }
  return { calendarVersion: calendar.version, ran, failed, waiting, unhandled };
}

async function reportFailure(
  deps: SchedulerDeps,
  t: Transition,
  calendarVersion: number,
  o: { attempts: number; error: Record<string, unknown>; nextAttemptAt: Date; startedAt: Date },
): Promise<void> {
  deps.log.error(
    { transition: t.id, attempts: o.attempts, error: o.error, nextAttemptAt: o.nextAttemptAt },
    'calendar transition failed: retried later',
  );
  await markFailed(deps.db, { id: t.id, type: t.type, dueAt: t.at, calendarVersion }, o);
  await recordNotice(deps.db, {
    kind: 'scheduler.transition-failed',
    uais: t.scope.uai ? [t.scope.uai] : [],
    title: `Calendar transition failed: ${t.summary}`,
    body:
      `The transition ${t.id} (${t.type}, due ${t.at.toISOString()}) failed: ` +
      `${String(o.error.message)}. It is retried with backoff until it succeeds.`,
    data: { transition: t.id, type: t.type, error: o.error },
    dedupeKey: `scheduler.transition-failed/${t.id}`,
  }).catch((err: unknown) => deps.log.error({ err }, 'could not record the failure notice'));
}

/**
 * The next instant something is to run after `now`: the first transition not done due later,
 * or the next attempt of a failed one (null: nothing left in the calendar).
 */
export async function nextWakeUp(
  db: Kysely<Database>,
  now: Date,
): Promise<{ at: Date; id: string } | null> {
  const calendar = await loadCalendar(db);
  if (!calendar) return null;
  const overrides = await loadBlockingOverrides(db);
  const done = await doneIds(db);
  const failing = await failingRows(db);
  let best: { at: Date; id: string } | null = null;
  for (const row of failing.values()) {
    if (row.next_attempt_at && row.next_attempt_at.getTime() > now.getTime()) {
      if (!best || row.next_attempt_at < best.at) best = { at: row.next_attempt_at, id: row.id };
    }
  }
  const future = pendingTransitions(calendar.document, new Date(8.64e15), done, {
    blockingOverrides: overrides,
  }).find((t) => t.at.getTime() > now.getTime());
  if (future && (!best || future.at < best.at)) best = { at: future.at, id: future.id };
  return best;
}
