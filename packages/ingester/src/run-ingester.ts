import type { Config } from '@aaf-sync/config';
import { createIngestDeps } from '@aaf-sync/ingest';
import { lowerCpuPriority, runProcess } from '@aaf-sync/process';
import { createImportWorker } from './import-worker.js';
import { createIngester } from './ingester.js';

/**
 * Runs the ingester (inbox deliveries, and uploads and held-plan decisions queued by the API),
 * at the CPU priority INGEST_NICE (lowered at start, every thread), until SIGINT/SIGTERM
 * (packages/process): closes the workers (the current import finishes or rolls back), then
 * Redis and the database pool, each bounded. Resolves false when a close failed or was forced.
 * `clock` (default the wall clock) stamps the runs and is the instant at which the calendar gate
 * asks whether the directory feed is suspended.
 */
export function runIngesterProcess(
  config: Config,
  clock: { now(): Date } = { now: () => new Date() },
): Promise<boolean> {
  return runProcess({
    name: 'ingester',
    config,
    start: async ({ db, log, connection }) => {
      // An import is bulk work: the API's latency comes first on shared cores (INGEST_NICE).
      if (config.ingest.nice > 0) log.info(lowerCpuPriority(config.ingest.nice), 'cpu priority');
      const deps = createIngestDeps(config, db, log, { clock });
      const ingester = createIngester({ config, db, log, deps, connection });
      const imports = createImportWorker({ config, deps, log, connection });
      await ingester.start();
      await imports.start();
      log.info(
        { inbox: config.ingest.inboxDir, archive: config.ingest.archiveDir },
        'ingester started',
      );
      return [imports, ingester];
    },
  });
}
