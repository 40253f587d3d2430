import type { FunctionRef, RelativeRef, TeachingRef } from '@aaf-sync/aaf';
import type { EventEntity } from '@aaf-sync/db';
import { col, type Column } from '../sql/bulk.js';
import type { HeadTeacherRef } from '../plan/person-state.js';

/**
 * How one kind of person link is stored and announced: its table, key and value columns, the
 * row of a value, its event key and the structure it belongs to (for the event's UAIs).
 */
export interface LinkSpec<T> {
  readonly table: string;
  readonly entityType: EventEntity;
  readonly keys: readonly Column[];
  readonly values: readonly Column[];
  readonly keyRow: (person: string, v: T) => unknown[];
  readonly valueRow: (v: T) => unknown[];
  readonly eventKey: (person: string, v: T) => string;
  readonly structure: (v: T) => string | null;
  readonly view: (person: string, v: T) => Record<string, unknown>;
}

export const RELATIVE_LINK: LinkSpec<RelativeRef> = {
  table: 'relative_link',
  entityType: 'relative_link',
  keys: [col('pupil_jointure'), col('relative_jointure')],
  values: [
    col('relationship'),
    col('financial', 'boolean'),
    col('legal', 'smallint'),
    col('contact', 'boolean'),
    col('payment', 'boolean'),
  ],
  keyRow: (pupil, r) => [pupil, r.jointure],
  valueRow: (r) => [r.relationship, r.financial, r.legal, r.contact, r.payment],
  eventKey: (pupil, r) => `${pupil}|${r.jointure}`,
  structure: () => null,
  view: (pupil, r) => ({
    pupil,
    relative: r.jointure,
    relationship: r.relationship,
    financial: r.financial,
    legal: r.legal,
    contact: r.contact,
    payment: r.payment,
  }),
};

export const TEACHING_LINK: LinkSpec<TeachingRef> = {
  table: 'teaching_link',
  entityType: 'teaching_link',
  keys: [
    col('person_jointure'),
    col('structure_jointure'),
    col('kind'),
    col('code'),
    col('subject_code'),
  ],
  values: [],
  keyRow: (p, t) => [p, t.structure, t.kind, t.code, t.subject],
  valueRow: () => [],
  eventKey: (p, t) => `${p}|${t.structure}|${t.kind}|${t.code}|${t.subject}`,
  structure: (t) => t.structure,
  view: (p, t) => ({
    person: p,
    structure: t.structure,
    kind: t.kind,
    code: t.code,
    subject: t.subject,
  }),
};

export const HEAD_TEACHER: LinkSpec<HeadTeacherRef> = {
  table: 'head_teacher',
  entityType: 'head_teacher',
  keys: [col('person_jointure'), col('structure_jointure'), col('class_code')],
  values: [],
  keyRow: (p, h) => [p, h.structure, h.code],
  valueRow: () => [],
  eventKey: (p, h) => `${p}|${h.structure}|${h.code}`,
  structure: (h) => h.structure,
  view: (p, h) => ({ person: p, structure: h.structure, code: h.code }),
};

export const PERSON_FUNCTION: LinkSpec<FunctionRef> = {
  table: 'person_function',
  entityType: 'person_function',
  keys: [col('person_jointure'), col('structure_jointure'), col('code'), col('discipline_code')],
  values: [col('label'), col('discipline_label')],
  keyRow: (p, f) => [p, f.structure, f.code, f.disciplineCode],
  valueRow: (f) => [f.label, f.disciplineLabel],
  eventKey: (p, f) => `${p}|${f.structure}|${f.code}|${f.disciplineCode}`,
  structure: (f) => f.structure,
  view: (p, f) => ({
    person: p,
    structure: f.structure,
    code: f.code,
    label: f.label,
    disciplineCode: f.disciplineCode,
    disciplineLabel: f.disciplineLabel,
  }),
};

export const DIRECTION: LinkSpec<string> = {
  table: 'direction',
  entityType: 'direction',
  keys: [col('person_jointure'), col('structure_jointure')],
  values: [],
  keyRow: (p, s) => [p, s],
  valueRow: () => [],
  eventKey: (p, s) => `${p}|${s}`,
  structure: (s) => s,
  view: (p, s) => ({ person: p, structure: s }),
};
