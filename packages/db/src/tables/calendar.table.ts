import type { Generated, Insertable, Selectable } from 'kysely';
import type { Json, JsonDefault, Timestamp } from './import.table.js';

/** One stored version of the calendar document (packages/calendar); the highest is current. */
export interface CalendarVersionTable {
  version: number;
  /** The document as validated (defaults applied). */
  document: Json<Record<string, unknown>>;
  /** What this version changed against the previous one: `[{ path, before, after }]`. */
  changes: JsonDefault<unknown[]>;
  comment: string | null;
  /** `key:<id>` or `cli:<user>`. */
  changed_by: string;
  changed_at: Generated<Date>;
}

/** An establishment's override of the rentrée blocking, within the calendar's limits. */
export interface CalendarBlockingOverrideTable {
  uai: string;
  start_at: Timestamp | null;
  end_at: Timestamp | null;
  message: string | null;
  /** The calendar version it was checked against. */
  calendar_version: number;
  changed_by: string;
  changed_at: Generated<Date>;
}

export type CalendarVersion = Selectable<CalendarVersionTable>;
export type NewCalendarVersion = Insertable<CalendarVersionTable>;
export type CalendarBlockingOverride = Selectable<CalendarBlockingOverrideTable>;
