import {
  blockingState,
  PROFILES,
  validateBlockingOverride,
  type BlockingOverride,
  type BlockingState,
} from '@aaf-sync/calendar';
import type { CalendarBlockingOverride, Database, Executor, Kysely } from '@aaf-sync/db';
import { requireCalendar, type StoredCalendar } from './calendar-store.js';
import {
  deleteOverride,
  findOverride,
  listOverrides,
  lockCalendar,
  upsertOverride,
} from './calendar.repository.js';

export interface StoredOverride extends BlockingOverride {
  readonly uai: string;
  readonly calendarVersion: number;
  readonly changedBy: string;
  readonly changedAt: Date;
}

function toOverride(row: CalendarBlockingOverride): StoredOverride {
  return {
    uai: row.uai,
    start: row.start_at,
    end: row.end_at,
    message: row.message,
    calendarVersion: row.calendar_version,
    changedBy: row.changed_by,
    changedAt: row.changed_at,
  };
}

/** Every stored override (of these UAIs; null: all), by UAI. */
export async function loadBlockingOverrides(
  db: Executor,
  uais: readonly string[] | null = null,
): Promise<Map<string, StoredOverride>> {
  const rows = await listOverrides(db, uais);
  return new Map(rows.map((r) => [r.uai, toOverride(r)]));
}

/**
 * Stores an establishment's override of the rentrée blocking after checking it against the
 * current calendar's limits (CALENDAR_ERR_* when outside; nothing stored). Replaces the previous
 * override of that establishment.
 */
export async function setBlockingOverride(
  db: Kysely<Database>,
  uai: string,
  override: BlockingOverride,
  actor: string,
): Promise<StoredOverride> {
  return db.transaction().execute(async (trx) => {
    await lockCalendar(trx);
    const calendar = await requireCalendar(trx);
    const valid = validateBlockingOverride(calendar.document, override);
    await upsertOverride(trx, {
      uai,
      start_at: valid.start ?? null,
      end_at: valid.end ?? null,
      message: valid.message ?? null,
      calendar_version: calendar.version,
      changed_by: actor,
    });
    return toOverride((await findOverride(trx, uai))!);
  });
}

/** Removes an establishment's override (back to the académie dates); false if there was none. */
export async function clearBlockingOverride(db: Executor, uai: string): Promise<boolean> {
  return deleteOverride(db, uai);
}

export interface EstablishmentBlocking {
  readonly uai: string;
  readonly calendarVersion: number;
  readonly override: StoredOverride | null;
  /** Per profile of the directory. */
  readonly profiles: readonly BlockingState[];
}

/** The blocking of every profile in one establishment at `at`, its override applied. */
export async function establishmentBlocking(
  db: Executor,
  uai: string,
  at: Date,
  calendar?: StoredCalendar,
): Promise<EstablishmentBlocking> {
  const cal = calendar ?? (await requireCalendar(db));
  const row = await findOverride(db, uai);
  const override = row ? toOverride(row) : null;
  return {
    uai,
    calendarVersion: cal.version,
    override,
    profiles: PROFILES.map((p) => blockingState(cal.document, p, at, override)),
  };
}
