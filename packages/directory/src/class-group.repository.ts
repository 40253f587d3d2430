import { sql, type ClassGroupKind, type Executor } from '@aaf-sync/db';
import type { ClassGroupRow, MemberRow, TeacherRow } from './class-group-view.js';
import type { KeysetPage } from './person.repository.js';
import { structureInScope, type Scope } from './scope.js';

export interface ClassGroupFilter {
  readonly kind: ClassGroupKind;
  readonly uai?: string;
  readonly state?: 'active' | 'empty';
}

function baseQuery(db: Executor, scope: Scope) {
  return db
    .selectFrom('class_group as cg')
    .leftJoin('structure as s', 's.jointure', 'cg.structure_jointure')
    .select([
      'cg.id',
      'cg.kind',
      'cg.structure_jointure',
      'cg.code',
      'cg.label',
      'cg.state',
      'cg.closed_school_year',
      'cg.version',
      'cg.updated_at',
      's.uai',
    ])
    .select(
      sql<number>`(select count(*)::int from membership m where m.class_group_id = cg.id)`.as(
        'member_count',
      ),
    )
    .where(structureInScope(scope, sql.ref('cg.structure_jointure')));
}

/** Classes or groups in scope, by id. */
export async function listClassGroups(
  db: Executor,
  scope: Scope,
  filter: ClassGroupFilter,
  page: KeysetPage<number>,
): Promise<ClassGroupRow[]> {
  let query = baseQuery(db, scope).where('cg.kind', '=', filter.kind);
  if (filter.uai) query = query.where('s.uai', '=', filter.uai);
  if (filter.state) query = query.where('cg.state', '=', filter.state);
  if (page.after !== null) query = query.where('cg.id', '>', page.after);
  return query.orderBy('cg.id').limit(page.limit).execute();
}

/** One class or group by its key parts; undefined when absent or out of scope. */
export async function findClassGroup(
  db: Executor,
  scope: Scope,
  kind: ClassGroupKind,
  structureJointure: string,
  code: string,
): Promise<ClassGroupRow | undefined> {
  return baseQuery(db, scope)
    .where('cg.kind', '=', kind)
    .where('cg.structure_jointure', '=', structureJointure)
    .where('cg.code', '=', code)
    .executeTakeFirst();
}

/** Members (pupils) of a class or group, by name. */
export async function listClassGroupMembers(
  db: Executor,
  classGroupId: number,
): Promise<MemberRow[]> {
  return db
    .selectFrom('membership as m')
    .innerJoin('person as p', 'p.jointure', 'm.person_jointure')
    .select(['p.jointure', 'p.given_name', 'p.sn', 'p.profile', 'p.state', 'm.since'])
    .where('m.class_group_id', '=', classGroupId)
    .orderBy('p.sn')
    .orderBy('p.given_name')
    .orderBy('p.jointure')
    .execute();
}

/** Teachers linked to a class or group (one row per subject), by name. */
export async function listClassGroupTeachers(
  db: Executor,
  kind: ClassGroupKind,
  structureJointure: string,
  code: string,
): Promise<TeacherRow[]> {
  return db
    .selectFrom('teaching_link as tl')
    .leftJoin('person as p', 'p.jointure', 'tl.person_jointure')
    .leftJoin('subject as sub', 'sub.code', 'tl.subject_code')
    .select([
      'tl.person_jointure as jointure',
      'p.given_name',
      'p.sn',
      'p.state',
      'tl.subject_code',
      'sub.label as subject_label',
    ])
    .where('tl.kind', '=', kind)
    .where('tl.structure_jointure', '=', structureJointure)
    .where('tl.code', '=', code)
    .orderBy('p.sn')
    .orderBy('tl.person_jointure')
    .orderBy('tl.subject_code')
    .execute();
}
