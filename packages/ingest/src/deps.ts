import type { AafLimits } from '@aaf-sync/aaf';
import type { Database, Kysely, Transaction } from '@aaf-sync/db';
import type { Logger } from '@aaf-sync/logger';
import type { IngestSettings } from './settings.js';

/**
 * Allocates login identifiers for new account holders, batch after batch, in one apply
 * transaction (packages/identifiers `IdentifierAllocator`).
 */
export interface IdentifierSession {
  /**
   * Identifiers of these persons, allocated when they hold none: id → namespace → value.
   * `fresh`: persons created in this transaction (they hold none: nothing to read first).
   * `copy`: besides, the directory held no person (so no identifier) when the session was
   * opened: the values taken are known in memory and the new ones written with COPY.
   */
  allocate(
    persons: readonly { personId: number; givenName: string; sn: string }[],
    options?: { readonly fresh?: boolean; readonly copy?: boolean },
  ): Promise<Map<number, Record<string, string>>>;
  /** Writes what the session kept in memory (homonym counters): once, before the commit. */
  finish(): Promise<void>;
}

/** Opens an identifier session in the apply's transaction. */
export type OpenIdentifierSession = (trx: Transaction<Database>) => IdentifierSession;

export interface IngestDeps {
  readonly db: Kysely<Database>;
  readonly log: Logger;
  readonly settings: IngestSettings;
  /** Identifier allocation (packages/identifiers); absent = no identifiers allocated. */
  readonly identifiers?: OpenIdentifierSession;
  /**
   * True while the calendar suspends the directory feed (packages/calendar-store
   * `directoryFeedSuspended`): deliveries are then planned and reported, not applied (status
   * `suspended`). Absent: never suspended.
   */
  readonly feedSuspended?: () => Promise<boolean>;
  /**
   * The engine's clock: the instants stamped on import runs (`created_at`, `finished_at`) and
   * upload decisions, which the calendar compares with its own (the feed state, the
   * initialisation complete applied). Structurally packages/calendar `Clock`; absent: the wall
   * clock. Tests and the calendar simulation inject a fake one.
   */
  readonly clock?: { now(): Date };
  /**
   * Where an API upload received while the directory feed is suspended is kept (the ingester's
   * archive, AAF_ARCHIVE_DIR, folder `<importIds>-<spool name>`), so that the directory's
   * resumption can queue it again. Absent: the upload spool is removed as after any upload.
   */
  readonly archiveDir?: string;
}

/** The engine's current instant (its injected clock, else the wall clock). */
export function nowOf(deps: Pick<IngestDeps, 'clock'>): Date {
  return deps.clock ? deps.clock.now() : new Date();
}

/** The reader options carrying the configured limits (absent: the reader's defaults). */
export function aafOptions(deps: IngestDeps): { limits?: AafLimits } {
  const limits = deps.settings.aafLimits;
  return limits ? { limits } : {};
}
