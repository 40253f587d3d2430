import type { FunctionRef, RelativeRef, TeachingRef } from '@aaf-sync/aaf';
import type { BulkColumn, BulkRow, EventEntity } from '@aaf-sync/db';
import type { HeadTeacherRef } from '../plan/person-state.js';

/** The tables of person links. */
export type LinkTable =
  'relative_link' | 'teaching_link' | 'head_teacher' | 'person_function' | 'direction';

/**
 * How one kind of person link is stored and announced: its table, key and value columns, the
 * row of a value (keys and values by column), its event key and the structure it belongs to
 * (for the event's UAIs).
 */
export interface LinkSpec<
  T,
  Tb extends LinkTable = LinkTable,
  K extends BulkColumn<Tb> = BulkColumn<Tb>,
  V extends BulkColumn<Tb> = BulkColumn<Tb>,
> {
  readonly table: Tb;
  readonly entityType: EventEntity;
  readonly keys: readonly K[];
  readonly values: readonly V[];
  readonly row: (person: string, v: T) => BulkRow<Tb, K | V>;
  readonly eventKey: (person: string, v: T) => string;
  readonly structure: (v: T) => string | null;
  readonly view: (person: string, v: T) => Record<string, unknown>;
}

/** A spec with its type parameters inferred from its columns and row. */
const linkSpec = <
  T,
  Tb extends LinkTable,
  const K extends BulkColumn<Tb>,
  const V extends BulkColumn<Tb> = never,
>(
  spec: LinkSpec<T, Tb, K, V>,
) => spec;

export const RELATIVE_LINK = linkSpec({
  table: 'relative_link',
  entityType: 'relative_link',
  keys: ['pupil_jointure', 'relative_jointure'],
  values: ['relationship', 'financial', 'legal', 'contact', 'payment'],
  row: (pupil, r: RelativeRef) => ({
    pupil_jointure: pupil,
    relative_jointure: r.jointure,
    relationship: r.relationship,
    financial: r.financial,
    legal: r.legal,
    contact: r.contact,
    payment: r.payment,
  }),
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
});

export const TEACHING_LINK = linkSpec({
  table: 'teaching_link',
  entityType: 'teaching_link',
  keys: ['person_jointure', 'structure_jointure', 'kind', 'code', 'subject_code'],
  values: [],
  row: (p, t: TeachingRef) => ({
    person_jointure: p,
    structure_jointure: t.structure,
    kind: t.kind,
    code: t.code,
    subject_code: t.subject,
  }),
  eventKey: (p, t) => `${p}|${t.structure}|${t.kind}|${t.code}|${t.subject}`,
  structure: (t) => t.structure,
  view: (p, t) => ({
    person: p,
    structure: t.structure,
    kind: t.kind,
    code: t.code,
    subject: t.subject,
  }),
});

export const HEAD_TEACHER = linkSpec({
  table: 'head_teacher',
  entityType: 'head_teacher',
  keys: ['person_jointure', 'structure_jointure', 'class_code'],
  values: [],
  row: (p, h: HeadTeacherRef) => ({
    person_jointure: p,
    structure_jointure: h.structure,
    class_code: h.code,
  }),
  eventKey: (p, h) => `${p}|${h.structure}|${h.code}`,
  structure: (h) => h.structure,
  view: (p, h) => ({ person: p, structure: h.structure, code: h.code }),
});

export const PERSON_FUNCTION = linkSpec({
  table: 'person_function',
  entityType: 'person_function',
  keys: ['person_jointure', 'structure_jointure', 'code', 'discipline_code'],
  values: ['label', 'discipline_label'],
  row: (p, f: FunctionRef) => ({
    person_jointure: p,
    structure_jointure: f.structure,
    code: f.code,
    discipline_code: f.disciplineCode,
    label: f.label,
    discipline_label: f.disciplineLabel,
  }),
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
});

export const DIRECTION = linkSpec({
  table: 'direction',
  entityType: 'direction',
  keys: ['person_jointure', 'structure_jointure'],
  values: [],
  row: (p, s: string) => ({ person_jointure: p, structure_jointure: s }),
  eventKey: (p, s) => `${p}|${s}`,
  structure: (s) => s,
  view: (p, s) => ({ person: p, structure: s }),
});
