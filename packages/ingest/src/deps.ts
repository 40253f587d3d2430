import type { AafLimits } from '@aaf-sync/aaf';
import type { Database, Kysely, Transaction } from '@aaf-sync/db';
import type { Logger } from '@aaf-sync/logger';
import type { IngestSettings } from './settings.js';

/** Allocates login identifiers for newly created persons, in the caller's transaction. */
export type AllocateIdentifiers = (
  trx: Transaction<Database>,
  persons: readonly { personId: number; givenName: string; sn: string }[],
) => Promise<Map<number, Record<string, string>>>;

export interface IngestDeps {
  readonly db: Kysely<Database>;
  readonly log: Logger;
  readonly settings: IngestSettings;
  /** Identifier allocation (packages/identifiers); absent = no identifiers allocated. */
  readonly allocateIdentifiers?: AllocateIdentifiers;
  /**
   * True while the calendar suspends the directory feed (packages/calendar-store
   * `directoryFeedSuspended`): deliveries are then planned and reported, not applied (status
   * `suspended`). Absent: never suspended.
   */
  readonly feedSuspended?: () => Promise<boolean>;
}

/** The reader options carrying the configured limits (absent: the reader's defaults). */
export function aafOptions(deps: IngestDeps): { limits?: AafLimits } {
  const limits = deps.settings.aafLimits;
  return limits ? { limits } : {};
}
