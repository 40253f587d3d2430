import { systemClock, type Clock } from '@aaf-sync/calendar';
import type { Config } from '@aaf-sync/config';
import { runProcess } from '@aaf-sync/process';
import { createSchedulerRuntime } from '@aaf-sync/scheduler';
import { effectsFor, TICK_TASKS } from './shipped-effects.js';

/**
 * Runs the scheduler until SIGINT/SIGTERM (packages/process): the calendar worker (the
 * transitions missed while the process was down run at start, once), the repeatable tick every
 * SCHEDULER_TICK_SECONDS and a delayed job at the next transition. Stops the worker (the running
 * transition commits or rolls back), then Redis and the pool, each bounded by
 * JOBS_SHUTDOWN_TIMEOUT_SECONDS. Resolves false when a close failed or was forced.
 */
export function runSchedulerProcess(config: Config, clock: Clock = systemClock): Promise<boolean> {
  return runProcess({
    name: 'scheduler',
    config,
    start: async ({ db, log, connection }) => {
      const runtime = createSchedulerRuntime({
        db,
        clock,
        log,
        effects: effectsFor(config),
        tickTasks: TICK_TASKS,
        connection,
        prefix: config.redis.queuePrefix,
        tickMs: config.scheduler.tickMs,
        retryBaseMs: config.scheduler.retryBaseMs,
        shutdownTimeoutMs: config.jobs.shutdownTimeoutMs,
      });
      await runtime.start();
      log.info({ tickMs: config.scheduler.tickMs }, 'scheduler started');
      return [runtime];
    },
  });
}
