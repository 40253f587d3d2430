import type { ClassGroupKind, PersonState, Profile } from '@aaf-sync/db';
import { isoTime } from './person-view.js';

export interface ClassGroupRow {
  id: number;
  kind: ClassGroupKind;
  structure_jointure: string;
  code: string;
  label: string;
  state: 'active' | 'empty';
  version: number;
  updated_at: Date | string;
  uai: string | null;
  member_count: number;
  closed_school_year: string | null;
}

export interface ClassGroupView {
  readonly id: number;
  readonly kind: ClassGroupKind;
  /** `<structureJointure>$<code>`: the key of `class.*`/`group.*` events. */
  readonly key: string;
  readonly structureJointure: string;
  readonly uai: string | null;
  readonly code: string;
  readonly label: string;
  readonly state: 'active' | 'empty';
  /** Set when the year transition closed it at the end of that school year (no pupil came back). */
  readonly closedSchoolYear: string | null;
  readonly memberCount: number;
  readonly version: number;
  readonly updatedAt: string;
}

export interface MemberRow {
  jointure: string;
  given_name: string;
  sn: string;
  profile: Profile;
  state: PersonState;
  since: Date | string;
}

export interface MemberView {
  readonly jointure: string;
  readonly givenName: string;
  readonly sn: string;
  readonly profile: Profile;
  readonly state: PersonState;
  readonly since: string;
}

export interface TeacherRow {
  jointure: string;
  given_name: string | null;
  sn: string | null;
  state: PersonState | null;
  subject_code: string;
  subject_label: string | null;
}

export interface TeacherView {
  readonly jointure: string;
  /** null when the teacher's record is not in the directory (a link to an unknown person). */
  readonly givenName: string | null;
  readonly sn: string | null;
  readonly state: PersonState | null;
  /** '' when the link names no subject. */
  readonly subjectCode: string;
  readonly subjectLabel: string | null;
}

/** `<structureJointure>$<code>`, the event key of a class or group. */
export function classGroupKey(structureJointure: string, code: string): string {
  return `${structureJointure}$${code}`;
}

export function classGroupRowToView(row: ClassGroupRow): ClassGroupView {
  return {
    id: row.id,
    kind: row.kind,
    key: classGroupKey(row.structure_jointure, row.code),
    structureJointure: row.structure_jointure,
    uai: row.uai,
    code: row.code,
    label: row.label,
    state: row.state,
    closedSchoolYear: row.closed_school_year,
    memberCount: Number(row.member_count),
    version: row.version,
    updatedAt: isoTime(row.updated_at),
  };
}

export function memberRowToView(row: MemberRow): MemberView {
  return {
    jointure: row.jointure,
    givenName: row.given_name,
    sn: row.sn,
    profile: row.profile,
    state: row.state,
    since: isoTime(row.since),
  };
}

export function teacherRowToView(row: TeacherRow): TeacherView {
  return {
    jointure: row.jointure,
    givenName: row.given_name,
    sn: row.sn,
    state: row.state,
    subjectCode: row.subject_code,
    subjectLabel: row.subject_label,
  };
}
