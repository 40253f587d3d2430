import type { Config } from '@aaf-sync/config';
import { createDb } from '@aaf-sync/db';
import { createIngestDeps } from '@aaf-sync/ingest';
import { closeConnection } from '@aaf-sync/jobs';
import { createLogger } from '@aaf-sync/logger';
import { Redis } from 'ioredis';
import { createImportWorker } from './import-worker.js';
import { createIngester } from './ingester.js';

/**
 * Runs the ingester (inbox deliveries, and uploads and held-plan decisions queued by the API)
 * until SIGINT/SIGTERM: closes the workers (the current import finishes or
 * rolls back), the queue, Redis and the database pool, in that order. Each close is bounded
 * (JOBS_SHUTDOWN_TIMEOUT_SECONDS, then forced), so an unreachable Redis cannot keep the
 * process from stopping. `clock` (default the wall clock) stamps the runs and is the instant
 * at which the calendar gate asks whether the directory feed is suspended.
 */
export async function runIngesterProcess(
  config: Config,
  clock: { now(): Date } = { now: () => new Date() },
): Promise<void> {
  const log = createLogger({
    level: config.log.level,
    pretty: config.log.pretty,
    name: 'ingester',
  });
  const handle = createDb({
    url: config.database.url,
    poolMax: config.database.poolMax,
    applicationName: 'aaf-sync-ingester',
  });
  const connection = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  connection.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));
  const deps = createIngestDeps(config, handle.db, log, { clock });
  const ingester = createIngester({ config, db: handle.db, log, deps, connection });
  const imports = createImportWorker({ config, deps, log, connection });
  await ingester.start();
  await imports.start();
  log.info(
    { inbox: config.ingest.inboxDir, archive: config.ingest.archiveDir },
    'ingester started',
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  log.info('ingester stopping');
  await imports.close();
  await ingester.close();
  await closeConnection(connection);
  await handle.close();
}
