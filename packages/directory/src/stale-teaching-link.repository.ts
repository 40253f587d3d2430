import type { ClassGroupKind, Executor, PersonState } from '@aaf-sync/db';

export interface StaleTeachingLinkRow {
  person_jointure: string;
  given_name: string | null;
  sn: string | null;
  person_state: PersonState | null;
  kind: ClassGroupKind;
  code: string;
  subject_code: string;
  class_group_state: 'active' | 'empty' | null;
}

/** A teacher's link to a class or group that has no pupil (`empty`) or does not exist (`missing`). */
export interface StaleTeachingLink {
  readonly personJointure: string;
  readonly givenName: string | null;
  readonly sn: string | null;
  readonly personState: PersonState | null;
  readonly kind: ClassGroupKind;
  readonly code: string;
  readonly subjectCode: string;
  readonly reason: 'missing' | 'empty';
}

/**
 * Teaching links of an establishment whose class or group does not exist or has no pupil left
 * (classes exist only through pupils: such a link is stale, never a reason to create the class).
 * Used by the API report and by the import report.
 */
export async function findStaleTeachingLinks(
  db: Executor,
  structureJointure: string,
): Promise<StaleTeachingLinkRow[]> {
  return db
    .selectFrom('teaching_link as tl')
    .leftJoin('class_group as cg', (join) =>
      join
        .onRef('cg.structure_jointure', '=', 'tl.structure_jointure')
        .onRef('cg.kind', '=', 'tl.kind')
        .onRef('cg.code', '=', 'tl.code'),
    )
    .leftJoin('person as p', 'p.jointure', 'tl.person_jointure')
    .select([
      'tl.person_jointure',
      'p.given_name',
      'p.sn',
      'p.state as person_state',
      'tl.kind',
      'tl.code',
      'tl.subject_code',
      'cg.state as class_group_state',
    ])
    .where('tl.structure_jointure', '=', structureJointure)
    .where((eb) => eb.or([eb('cg.id', 'is', null), eb('cg.state', '=', 'empty')]))
    .orderBy('tl.kind')
    .orderBy('tl.code')
    .orderBy('tl.person_jointure')
    .orderBy('tl.subject_code')
    .execute();
}

export function staleTeachingLinkRowToView(row: StaleTeachingLinkRow): StaleTeachingLink {
  return {
    personJointure: row.person_jointure,
    givenName: row.given_name,
    sn: row.sn,
    personState: row.person_state,
    kind: row.kind,
    code: row.code,
    subjectCode: row.subject_code,
    reason: row.class_group_state === null ? 'missing' : 'empty',
  };
}
