import type { EffectContext } from './effects.js';
import { effectContext } from './effect-context.js';
import { runDue, type RunDueResult, type SchedulerDeps } from './run-due.js';

/**
 * Work that is not a dated transition but follows from what happened (the year transition of an
 * establishment once its initialisation complete is applied): run after the due transitions at
 * every tick, idempotent; a failure is logged and retried at the next tick.
 */
export type TickTask = (ctx: EffectContext) => Promise<unknown>;

export interface TickTaskOutcome {
  /** The task function's name (`yearTransitionTick`). */
  readonly name: string;
  readonly ok: boolean;
  /** What it resolved to (ok), or its error message. */
  readonly result?: unknown;
  readonly error?: string;
}

export interface TickResult extends RunDueResult {
  readonly tasks: readonly TickTaskOutcome[];
}

/**
 * One scheduler tick: the due transitions (`runDue`), then every tick task in order with one
 * effect context at the same instant. What the scheduler's worker runs for each job and what
 * `aaf-sync calendar run-due` runs at once; a failing task does not stop the others.
 */
export async function runTick(
  deps: SchedulerDeps & { readonly tickTasks?: readonly TickTask[] },
  now: Date = deps.clock.now(),
): Promise<TickResult> {
  const result = await runDue(deps, now);
  const ctx = effectContext({ db: deps.db, clock: { now: () => now }, log: deps.log });
  const tasks: TickTaskOutcome[] = [];
  for (const [i, task] of (deps.tickTasks ?? []).entries()) {
    const name = task.name || `task ${i + 1}`;
    try {
      tasks.push({ name, ok: true, result: await task(ctx) });
    } catch (err) {
      deps.log.error({ err, task: name }, 'scheduler tick task failed');
      tasks.push({ name, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return { ...result, tasks };
}
