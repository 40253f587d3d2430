import {
  closeAll,
  createProducer,
  schedule,
  startWorker,
  type ConnectionOptions,
  type Queue,
  type Worker,
} from '@aaf-sync/jobs';
import { CalendarQueue, dueJobId, TICK_SCHEDULER_ID } from './calendar-queue.js';
import { nextWakeUp, type SchedulerDeps } from './run-due.js';
import { runTick, type TickResult, type TickTask } from './run-tick.js';

export interface SchedulerRuntimeOptions extends SchedulerDeps {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  /** The repeatable backstop tick, and how often the jobs are checked against PostgreSQL (60 s). */
  readonly tickMs?: number;
  readonly shutdownTimeoutMs?: number;
  /** Run after the due transitions at every job (`runTick`); see TickTask. */
  readonly tickTasks?: readonly TickTask[];
}

export interface SchedulerRuntime {
  readonly queue: Queue;
  /** Starts the worker, ensures the jobs, and queues a first run (the transitions missed while down). */
  start(): Promise<void>;
  /**
   * Rebuilds the jobs from PostgreSQL: the repeatable tick and one delayed job at the next
   * transition (or retry); stale delayed jobs (a date moved) are removed. Idempotent; runs at
   * start, after every run, and every `tickMs` from a local timer (so a Redis flush is repaired).
   */
  plan(): Promise<{ next: { at: Date; id: string } | null; jobId: string | null }>;
  /** Runs a tick now in this process (what the worker does for each job): `runTick`. */
  runNow(): Promise<TickResult>;
  close(): Promise<boolean>;
}

/**
 * The scheduler on BullMQ (packages/jobs): one worker (concurrency 1) that runs `runTick` (the
 * due transitions, then the tick tasks) for every job, a repeatable tick as backstop, and a delayed job at the next transition. A calendar
 * change (a new version) is seen at the next tick and re-plans the delayed job.
 */
export function createSchedulerRuntime(o: SchedulerRuntimeOptions): SchedulerRuntime {
  const tickMs = o.tickMs ?? 60_000;
  const producer = createProducer(CalendarQueue, {
    connection: o.connection,
    prefix: o.prefix,
    log: o.log,
  });
  const { queue } = producer;
  let worker: Worker | undefined;
  let timer: NodeJS.Timeout | undefined;
  let planning:
    Promise<{ next: { at: Date; id: string } | null; jobId: string | null }> | undefined;

  async function planOnce() {
    await schedule(producer, TICK_SCHEDULER_ID, tickMs, { kind: 'tick' });
    const now = o.clock.now();
    const next = await nextWakeUp(o.db, now);
    const jobId = next ? dueJobId(next.id, next.at) : null;
    for (const job of await queue.getDelayed()) {
      if (job.name === 'due' && job.id !== jobId) await job.remove().catch(() => {});
    }
    if (next && jobId && !(await producer.has(jobId))) {
      await producer.enqueue(
        { kind: 'due', transition: next.id },
        {
          name: 'due',
          jobId,
          delay: Math.max(0, next.at.getTime() - now.getTime()),
          removeOnComplete: true,
          removeOnFail: 100,
        },
      );
    }
    return { next, jobId };
  }

  function plan() {
    planning ??= planOnce().finally(() => {
      planning = undefined;
    });
    return planning;
  }

  async function runNow(): Promise<TickResult> {
    const result = await runTick(o);
    if (result.ran.length || result.failed.length) {
      o.log.info(
        { ran: result.ran.length, failed: result.failed.length, waiting: result.waiting.length },
        'calendar transitions run',
      );
    }
    await plan();
    return result;
  }

  return {
    queue,
    plan,
    runNow,
    async start() {
      worker = startWorker(CalendarQueue, () => runNow(), {
        connection: o.connection,
        prefix: o.prefix,
        log: o.log,
        concurrency: 1,
      });
      await plan();
      await producer.enqueue({ kind: 'tick' }, { name: 'start' });
      timer = setInterval(() => {
        plan().catch((err: unknown) => o.log.error({ err }, 'calendar jobs could not be planned'));
      }, tickMs);
    },
    async close() {
      if (timer) clearInterval(timer);
      return closeAll([worker], [producer], {
        ...(o.shutdownTimeoutMs === undefined ? {} : { timeoutMs: o.shutdownTimeoutMs }),
        log: o.log,
      });
    },
  };
}
