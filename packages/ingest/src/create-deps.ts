import { directoryFeedSuspended } from '@aaf-sync/calendar-store';
import type { Config } from '@aaf-sync/config';
import type { Database, Kysely } from '@aaf-sync/db';
import { IdentifierAllocator, namespaceRules } from '@aaf-sync/identifiers';
import type { Logger } from '@aaf-sync/logger';
import type { IngestDeps } from './deps.js';

/**
 * The engine's dependencies from the service configuration (CLI, ingester, API): settings, and
 * identifier allocation in every configured namespace for each new person (one allocator per
 * apply transaction). The allocation writes no event of its own: the `person.created` event
 * carries the identifiers. The stored calendar
 * says whether the directory feed is suspended (the summer).
 */
export function createIngestDeps(config: Config, db: Kysely<Database>, log: Logger): IngestDeps {
  const rules = namespaceRules(config.identifiers);
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
    feedSuspended: () => directoryFeedSuspended(db, new Date()),
  };
}
