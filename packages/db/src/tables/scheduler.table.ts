import type { Generated, Insertable, Selectable } from 'kysely';
import type { Json, JsonDefault, Timestamp } from './import.table.js';

/** A calendar transition the scheduler ran (done_at) or tried (attempts, last_error). */
export interface CalendarTransitionTable {
  /** The transition's stable id, `<schoolYear>/<type>/<subject>` (packages/calendar). */
  id: string;
  type: string;
  due_at: Timestamp;
  /** The calendar version it was planned from. */
  calendar_version: number | null;
  started_at: Timestamp | null;
  done_at: Timestamp | null;
  /** `{ summary, counts }` of the effect. */
  outcome: Json<Record<string, unknown>> | null;
  attempts: Generated<number>;
  last_error: Json<Record<string, unknown>> | null;
  /** After a failure: not retried before this instant (backoff). */
  next_attempt_at: Timestamp | null;
}

/** A notice for people (managers, establishment admins, the académie). */
export interface NoticeTable {
  id: Generated<number>;
  /** `delivery.missing`, `groups.warning`… (the event is `notice.created` with this kind). */
  kind: string;
  /** Concerned establishments; empty: académie-wide. */
  uais: Generated<string[]>;
  /** Person ids it is addressed to (group managers); null: the establishments' admins. */
  managers: number[] | null;
  title: string;
  body: string;
  data: JsonDefault<Record<string, unknown>>;
  dedupe_key: string;
  created_at: Generated<Date>;
}

/** Who read a notice: `key:<id>` or `manager:<personId>`. */
export interface NoticeReadTable {
  notice_id: number;
  reader: string;
  read_at: Generated<Date>;
}

export type CalendarTransitionRow = Selectable<CalendarTransitionTable>;
export type NewCalendarTransition = Insertable<CalendarTransitionTable>;
export type Notice = Selectable<NoticeTable>;
export type NewNotice = Insertable<NoticeTable>;
