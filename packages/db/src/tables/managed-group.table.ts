import type { Generated, Selectable } from 'kysely';
import type { Timestamp } from './import.table.js';

/** How long a managed group lives: for good, or until the end of its school year. */
export const GROUP_LIFETIMES = ['unlimited', 'school-year'] as const;
export type GroupLifetime = (typeof GROUP_LIFETIMES)[number];

/** Who created a managed group: the API (people), or a timetable import (deleted silently). */
export const GROUP_SOURCES = ['api', 'timetable'] as const;
export type GroupSource = (typeof GROUP_SOURCES)[number];

/** A group created through the API (not from the AAF), with managers and a lifetime. */
export interface ManagedGroupTable {
  id: Generated<number>;
  uai: string;
  name: string;
  description: string | null;
  lifetime: GroupLifetime;
  /** The school year it was created for, `YYYY-YYYY`. */
  school_year: string;
  source: Generated<GroupSource>;
  /** `key:<id>`, `cli:<user>`… */
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
  /** The school year its lifetime was extended to (null: not extended). */
  extended_until: string | null;
  extended_by: string | null;
  extended_at: Timestamp | null;
  deleted_at: Timestamp | null;
  deleted_by: string | null;
  /** The calendar transition that deleted it (`<year>/groups.delete/…`), null otherwise. */
  deleted_by_transition: string | null;
}

export interface ManagedGroupPersonTable {
  group_id: number;
  person_id: number;
}

export type ManagedGroup = Selectable<ManagedGroupTable>;
