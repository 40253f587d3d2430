import type { Generated, GeneratedAlways, Selectable } from 'kysely';
import type { DateString, Json, JsonDefault, Timestamp } from './import.table.js';

export const LEVELS = ['1d', '2d'] as const;
export type Level = (typeof LEVELS)[number];

interface Tracked {
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  last_import_id: number | null;
}

export interface StructureTable extends Tracked {
  jointure: string;
  /** Académie scope of the files that feed it (file name token; '-': none). */
  scope: Generated<string>;
  /**
   * The AAF's own id within its scope; `jointure` is the directory key: the id, or `<id>@<scope>`
   * when another scope held the id first. Read from the key (migration 0033).
   */
  aaf_id: GeneratedAlways<string>;
  uai: string | null;
  name: string;
  type: string | null;
  contract: string | null;
  academy: string | null;
  level: Level;
  attributes: Json<Record<string, string[]>>;
  record_hash: string;
  last_file_id: number | null;
}

export interface SubjectTable extends Tracked {
  code: string;
  label: string;
  attributes: Json<Record<string, string[]>>;
  record_hash: string;
  last_file_id: number | null;
}

export interface MefTable extends Tracked {
  code: string;
  label: string;
  attachment: string | null;
  stat11: string | null;
  attributes: Json<Record<string, string[]>>;
  record_hash: string;
  last_file_id: number | null;
}

export const PERSON_CATEGORIES = ['pupil', 'relative', 'staff'] as const;
export type PersonCategory = (typeof PERSON_CATEGORIES)[number];
export const PROFILES = ['pupil', 'relative', 'teacher', 'staff'] as const;
export type Profile = (typeof PROFILES)[number];
export const PERSON_STATES = ['active', 'departed'] as const;
export type PersonState = (typeof PERSON_STATES)[number];

export interface PersonTable extends Tracked {
  id: Generated<number>;
  jointure: string;
  /** Académie scope of the files that feed it (file name token; '-': none). */
  scope: Generated<string>;
  /**
   * The AAF's own id within its scope; `jointure` is the directory key: the id, or `<id>@<scope>`
   * when another scope held the id first. Read from the key (migration 0033).
   */
  aaf_id: GeneratedAlways<string>;
  category: PersonCategory;
  profile: Profile;
  level: Level;
  given_name: string;
  sn: string;
  birth_name: string | null;
  birth_date: DateString | null;
  civility: string | null;
  ine: string | null;
  mail: string | null;
  primary_structure: string | null;
  /** Contact and schooling details (phones, address, MEF, regime…), by audience in the API. */
  details: JsonDefault<Record<string, unknown>>;
  /** The raw AAF attributes as last received (audit; deltas are merged at this level). */
  attributes: Json<Record<string, string[]>>;
  record_hash: string;
  /** Fingerprint of the addRequest bytes last applied (skips identical requests); null: unknown. */
  raw_hash: Generated<string | null>;
  state: Generated<PersonState>;
  /** A relative holds an account only while legally responsible for an active pupil. */
  has_account: Generated<boolean>;
  /** Structure jointures the record names that the directory does not hold (not materialised). */
  unknown_structures: Generated<string[]>;
  departed_at: Timestamp | null;
  last_file_id: number | null;
}

/** Why a jointure became an alias of a person (today: the pupil was found again by its INE). */
export const PERSON_ALIAS_REASONS = ['ine'] as const;
export type PersonAliasReason = (typeof PERSON_ALIAS_REASONS)[number];

/** A former jointure of a person (a pupil found again by its INE under a new jointure). */
export interface PersonAliasTable {
  jointure: string;
  person_id: number;
  reason: PersonAliasReason;
  import_id: number | null;
  created_at: Generated<Date>;
}

export interface PersonStructureTable {
  person_jointure: string;
  structure_jointure: string;
  since: Generated<Date>;
}

/** `empty`: the last pupil left (the class or group is kept, with its history). */
export const CLASS_GROUP_STATES = ['active', 'empty'] as const;
export type ClassGroupState = (typeof CLASS_GROUP_STATES)[number];
export const CLASS_GROUP_KINDS = ['class', 'group'] as const;
export type ClassGroupKind = (typeof CLASS_GROUP_KINDS)[number];

export interface ClassGroupTable {
  id: Generated<number>;
  structure_jointure: string;
  kind: ClassGroupKind;
  code: string;
  label: string;
  state: Generated<ClassGroupState>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  last_import_id: number | null;
  /** Set by the year transition when the class/group of year N ended without pupils; cleared when a pupil joins again. */
  closed_at: Timestamp | null;
  /** The school year it was closed at the end of (`YYYY-YYYY`, year N). */
  closed_school_year: string | null;
}

export interface MembershipTable {
  class_group_id: number;
  person_jointure: string;
  since: Generated<Date>;
}

export interface RelativeLinkTable {
  pupil_jointure: string;
  relative_jointure: string;
  relationship: string | null;
  financial: boolean | null;
  legal: number | null;
  contact: boolean | null;
  payment: boolean | null;
}

export interface TeachingLinkTable {
  person_jointure: string;
  structure_jointure: string;
  kind: ClassGroupKind;
  code: string;
  /** '' when the link carries no subject (ENTAuxEnsClasses / ENTAuxEnsGroupes). */
  subject_code: Generated<string>;
}

export interface HeadTeacherTable {
  person_jointure: string;
  structure_jointure: string;
  class_code: string;
}

export interface PersonFunctionTable {
  person_jointure: string;
  structure_jointure: string;
  code: string;
  label: Generated<string>;
  discipline_code: Generated<string>;
  discipline_label: Generated<string>;
}

export interface DirectionTable {
  person_jointure: string;
  structure_jointure: string;
}

export type Structure = Selectable<StructureTable>;
export type Subject = Selectable<SubjectTable>;
export type Mef = Selectable<MefTable>;
export type Person = Selectable<PersonTable>;
export type ClassGroup = Selectable<ClassGroupTable>;
