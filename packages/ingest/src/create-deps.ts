import { directoryFeedSuspended } from '@aaf-sync/calendar-store';
import type { Config } from '@aaf-sync/config';
import type { Database, Kysely } from '@aaf-sync/db';
import { IdentifierAllocator, namespaceRules } from '@aaf-sync/identifiers';
import type { Logger } from '@aaf-sync/logger';
import type { IngestDeps } from './deps.js';

export interface CreateIngestDepsOptions {
  /** The clock of the runs and of the calendar gate (default: the wall clock). */
  readonly clock?: { now(): Date };
}

/**
 * The engine's dependencies from the service configuration (CLI, ingester, API): settings, and
 * identifier allocation in every configured namespace for each new person (one allocator per
 * apply transaction). The allocation writes no event of its own: the `person.created` event
 * carries the identifiers. The stored calendar says whether the directory feed is suspended (the
 * summer) at the clock's instant; uploads received then are kept in the archive (AAF_ARCHIVE_DIR)
 * for the resumption.
 */
export function createIngestDeps(
  config: Config,
  db: Kysely<Database>,
  log: Logger,
  o: CreateIngestDepsOptions = {},
): IngestDeps {
  const rules = namespaceRules(config.identifiers);
  const clock = o.clock ?? { now: () => new Date() };
  return {
    db,
    log,
    settings: {
      holdThresholdPercent: config.ingest.holdThresholdPercent,
      holdMinDepartures: config.ingest.holdMinDepartures,
      keepUnlinkedRelatives: config.ingest.keepUnlinkedRelatives,
      relativeAccountLegalCodes: config.ingest.relativeAccountLegalCodes,
      batchSize: config.ingest.batchSize,
      aafLimits: config.aafLimits,
    },
    identifiers: (trx) => new IdentifierAllocator(trx, rules, { events: false }),
    feedSuspended: () => directoryFeedSuspended(db, clock.now()),
    clock,
    archiveDir: config.ingest.archiveDir,
  };
}
