import {
  CalendarErrors,
  diffDocuments,
  parseCalendarDocument,
  validateBlockingOverride,
  type CalendarDocument,
  type DocumentChange,
} from '@aaf-sync/calendar';
import type { Database, Executor, Kysely } from '@aaf-sync/db';
import {
  findCurrentVersion,
  findVersion,
  insertVersion,
  listOverrides,
  listVersions,
  lockCalendar,
} from './calendar.repository.js';

/** A stored version of the calendar. */
export interface StoredCalendar {
  readonly version: number;
  readonly document: CalendarDocument;
  readonly changedBy: string;
  readonly changedAt: Date;
  readonly comment: string | null;
}

export interface CalendarVersionSummary {
  readonly version: number;
  readonly changedBy: string;
  readonly changedAt: Date;
  readonly comment: string | null;
  readonly changes: readonly DocumentChange[];
}

function toStored(row: {
  version: number;
  document: Record<string, unknown>;
  changed_by: string;
  changed_at: Date;
  comment: string | null;
}): StoredCalendar {
  return {
    version: row.version,
    // Stored documents were validated when saved; parsing again applies the current defaults.
    document: parseCalendarDocument(row.document),
    changedBy: row.changed_by,
    changedAt: row.changed_at,
    comment: row.comment,
  };
}

/** The current calendar, or null when none was ever stored. */
export async function loadCalendar(db: Executor): Promise<StoredCalendar | null> {
  const row = await findCurrentVersion(db);
  return row ? toStored(row) : null;
}

/** The current calendar; throws CALENDAR_ERR_NOT_SET when none was stored. */
export async function requireCalendar(db: Executor): Promise<StoredCalendar> {
  const stored = await loadCalendar(db);
  if (!stored) throw CalendarErrors.NOT_SET();
  return stored;
}

/** One version (null when it does not exist). */
export async function loadCalendarVersion(
  db: Executor,
  version: number,
): Promise<StoredCalendar | null> {
  const row = await findVersion(db, version);
  return row ? toStored(row) : null;
}

export interface SaveCalendarInput {
  /** The document as received (validated here). */
  readonly document: unknown;
  /** `key:<id>` or `cli:<user>`. */
  readonly actor: string;
  /** Refuse with CALENDAR_ERR_VERSION_CONFLICT unless the current version is this one (0: none). */
  readonly expectedVersion?: number | undefined;
  readonly comment?: string | undefined;
}

export interface SaveCalendarResult {
  readonly version: number;
  /** False when the document equals the current one (nothing stored). */
  readonly stored: boolean;
  readonly changes: readonly DocumentChange[];
  /** Establishments whose blocking override the new limits no longer allow (now ignored). */
  readonly overridesOutsideLimits: readonly string[];
}

/**
 * Validates and stores a new version of the calendar with what it changed. Writers are
 * serialised; the same document twice stores nothing. Throws CALENDAR_ERR_INVALID_DOCUMENT or
 * CALENDAR_ERR_VERSION_CONFLICT.
 */
export async function saveCalendar(
  db: Kysely<Database>,
  input: SaveCalendarInput,
): Promise<SaveCalendarResult> {
  const document = parseCalendarDocument(input.document);
  return db.transaction().execute(async (trx) => {
    await lockCalendar(trx);
    const current = await findCurrentVersion(trx);
    const currentVersion = current?.version ?? 0;
    if (input.expectedVersion !== undefined && input.expectedVersion !== currentVersion) {
      throw CalendarErrors.VERSION_CONFLICT({
        current: currentVersion,
        expected: input.expectedVersion,
      });
    }
    const changes = diffDocuments(current?.document ?? null, document);
    if (current && changes.length === 0) {
      return { version: currentVersion, stored: false, changes, overridesOutsideLimits: [] };
    }
    const version = currentVersion + 1;
    await insertVersion(trx, {
      version,
      document: document as unknown as Record<string, unknown>,
      changes: changes as unknown as unknown[],
      comment: input.comment ?? null,
      changed_by: input.actor,
    });
    const outside: string[] = [];
    for (const o of await listOverrides(trx, null)) {
      try {
        validateBlockingOverride(document, {
          start: o.start_at,
          end: o.end_at,
          message: o.message,
        });
      } catch {
        outside.push(o.uai);
      }
    }
    return { version, stored: true, changes, overridesOutsideLimits: outside };
  });
}

/** Versions, newest first (`before`: only versions below it, for paging). */
export async function listCalendarVersions(
  db: Executor,
  options: { limit: number; before?: number | undefined },
): Promise<CalendarVersionSummary[]> {
  const rows = await listVersions(db, options.limit, options.before);
  return rows.map((r) => ({
    version: r.version,
    changedBy: r.changed_by,
    changedAt: r.changed_at,
    comment: r.comment,
    changes: r.changes as DocumentChange[],
  }));
}
