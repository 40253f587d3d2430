import type { Config } from '@aaf-sync/config';
import { createDb, type Database, type Kysely } from '@aaf-sync/db';
import { closeConnection, realTimer, settlesWithin, type Timer } from '@aaf-sync/jobs';
import { createLogger, type Logger } from '@aaf-sync/logger';
import { Redis } from 'ioredis';
import { waitForStop, type SignalSource } from './wait-for-stop.js';

/** What a process is given to start its parts. */
export interface ProcessContext {
  readonly config: Config;
  /** The process's logger, named after it. */
  readonly log: Logger;
  /** The process's pool (`application_name` aaf-sync-<name>). */
  readonly db: Kysely<Database>;
  /** The Redis connection its queues and workers share (`maxRetriesPerRequest: null`). */
  readonly connection: Redis;
}

/**
 * A started part of a process: a worker, a runtime. A `close` that resolves `false` had to force
 * (packages/jobs `closeAll`): it counts as not clean.
 */
export interface Closable {
  close(): Promise<unknown>;
}

export interface RunProcessOptions {
  /** Logger name, and `aaf-sync-<name>` as the pool's application name. */
  readonly name: string;
  readonly config: Config;
  /** Starts the process's parts; returns them in the order they are to be closed. */
  start(context: ProcessContext): Promise<readonly Closable[]>;
  /** Where SIGINT/SIGTERM come from (default `process`). */
  readonly signals?: SignalSource;
  /** Arms the shutdown bounds (default a real timer; tests fire it themselves). */
  readonly timer?: Timer;
  /** The process's logger (default: one named after it, at LOG_LEVEL / LOG_PRETTY). */
  readonly log?: Logger;
}

/**
 * What a part's close may take beyond JOBS_SHUTDOWN_TIMEOUT_SECONDS before it is left behind:
 * the parts bound their own closes by that setting (packages/jobs `closeAll`), and forcing then
 * takes a moment; this bound only catches a close that never ends.
 */
export const PART_CLOSE_GRACE_MS = 5000;

/** How long Redis has to answer QUIT before the connection is dropped. */
const REDIS_QUIT_TIMEOUT_MS = 2000;

/**
 * Runs a long-running process until SIGINT/SIGTERM: opens its logger, database pool and queue
 * Redis connection, starts its parts, waits for a signal, then closes the parts in the order
 * given, the Redis connection and the pool. Every close is bounded (a part: its own
 * JOBS_SHUTDOWN_TIMEOUT_SECONDS plus `PART_CLOSE_GRACE_MS`; Redis: QUIT, 2 s, then dropped; the
 * pool: JOBS_SHUTDOWN_TIMEOUT_SECONDS); one that fails or overruns is logged and the next is
 * closed all the same.
 *
 * Resolves `true` when everything closed in time, `false` otherwise (the entry point then exits
 * with status 1). A `start` that throws closes what was opened and rejects.
 *
 * @example
 * const clean = await runProcess({ name: 'scheduler', config, start: async ({ db, log }) => [...] });
 * process.exit(clean ? 0 : 1);
 */
export async function runProcess(o: RunProcessOptions): Promise<boolean> {
  const { config, name } = o;
  const timer = o.timer ?? realTimer;
  const log = o.log ?? createLogger({ level: config.log.level, pretty: config.log.pretty, name });
  const handle = createDb({
    url: config.database.url,
    poolMax: config.database.poolMax,
    applicationName: `aaf-sync-${name}`,
  });
  const connection = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  connection.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));
  const timeoutMs = config.jobs.shutdownTimeoutMs;
  const closeResources = async (parts: readonly Closable[]) => {
    let clean = true;
    for (const [index, part] of parts.entries()) {
      const bound = timeoutMs + PART_CLOSE_GRACE_MS;
      clean = (await closeBounded(part, `part ${index}`, bound, timer, log)) && clean;
    }
    await closeConnection(connection, REDIS_QUIT_TIMEOUT_MS, timer);
    return (await closeBounded(handle, 'database pool', timeoutMs, timer, log)) && clean;
  };

  const stopped = waitForStop(o.signals);
  let parts: readonly Closable[];
  try {
    parts = await o.start({ config, log, db: handle.db, connection });
  } catch (err) {
    await closeResources([]);
    throw err;
  }
  const signal = await stopped;
  log.info({ signal }, `${name} stopping`);
  return closeResources(parts);
}

/**
 * Closes one part, bounded by `timeoutMs`; true when it closed in time, without error and
 * without forcing. What goes wrong is logged, never thrown.
 */
async function closeBounded(
  part: Closable,
  label: string,
  timeoutMs: number,
  timer: Timer,
  log: Logger,
): Promise<boolean> {
  let failure: unknown;
  let forced = false;
  const closing = Promise.resolve()
    .then(() => part.close())
    .then(
      (result) => (forced = result === false),
      (err: unknown) => (failure = err ?? 'rejected'),
    );
  if (!(await settlesWithin(closing, timeoutMs, timer))) {
    log.error({ part: label, timeoutMs }, 'did not close in time: left behind');
    return false;
  }
  if (failure !== undefined) {
    log.error({ part: label, err: failure }, 'close failed');
    return false;
  }
  return !forced;
}
