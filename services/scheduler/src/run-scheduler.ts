import { systemClock, type Clock } from '@aaf-sync/calendar';
import type { Config } from '@aaf-sync/config';
import { createDb } from '@aaf-sync/db';
import { closeConnection } from '@aaf-sync/jobs';
import { createLogger } from '@aaf-sync/logger';
import { createSchedulerRuntime } from '@aaf-sync/scheduler';
import { Redis } from 'ioredis';
import { effectsFor, TICK_TASKS } from '@aaf-sync/calendar-effects';

/**
 * Runs the scheduler until SIGINT/SIGTERM: the calendar worker (the transitions missed while the
 * process was down run at start, once), the repeatable tick every SCHEDULER_TICK_SECONDS and a
 * delayed job at the next transition. Stops the worker (the running transition commits or rolls
 * back), then Redis and the pool, each bounded by JOBS_SHUTDOWN_TIMEOUT_SECONDS.
 */
export async function runSchedulerProcess(
  config: Config,
  clock: Clock = systemClock,
): Promise<void> {
  const log = createLogger({
    level: config.log.level,
    pretty: config.log.pretty,
    name: 'scheduler',
  });
  const handle = createDb({
    url: config.database.url,
    poolMax: config.database.poolMax,
    applicationName: 'aaf-sync-scheduler',
  });
  const connection = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  connection.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));
  const runtime = createSchedulerRuntime({
    db: handle.db,
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
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  log.info('scheduler stopping');
  await runtime.close();
  await closeConnection(connection);
  await handle.close();
}
