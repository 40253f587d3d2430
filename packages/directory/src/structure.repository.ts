import { sql, type Executor } from '@aaf-sync/db';
import type { KeysetPage } from './person.repository.js';
import type { StructureRow } from './structure-view.js';
import type { Scope } from './scope.js';

const COLUMNS = [
  's.jointure',
  's.aaf_id',
  's.scope',
  's.uai',
  's.name',
  's.type',
  's.contract',
  's.academy',
  's.level',
  's.version',
  's.updated_at',
] as const;

/** Establishments in scope, by jointure. Structures without a UAI are listed to unscoped callers. */
export async function listStructures(
  db: Executor,
  scope: Scope,
  page: KeysetPage<string>,
): Promise<StructureRow[]> {
  let query = db.selectFrom('structure as s').select(COLUMNS);
  if (scope.uais !== null) query = query.where('s.uai', 'in', [...scope.uais]);
  if (page.after !== null) query = query.where('s.jointure', '>', page.after);
  return query.orderBy('s.jointure').limit(page.limit).execute();
}

/**
 * The establishment with this UAI (the first by jointure if the AAF declares it twice), with its
 * attached persons counted by profile and state; undefined when absent or out of scope.
 */
export async function findStructureByUai(
  db: Executor,
  scope: Scope,
  uai: string,
): Promise<StructureRow | undefined> {
  if (scope.uais !== null && !scope.uais.includes(uai)) return undefined;
  return db
    .selectFrom('structure as s')
    .select(COLUMNS)
    .select(
      sql<Record<string, number>>`(
        select coalesce(jsonb_object_agg(k, n), '{}'::jsonb) from (
          select p.profile || '.' || p.state as k, count(*)::int as n
          from person_structure ps join person p on p.jointure = ps.person_jointure
          where ps.structure_jointure = s.jointure
          group by 1) c)`.as('counts'),
    )
    .where('s.uai', '=', uai)
    .orderBy('s.jointure')
    .limit(1)
    .executeTakeFirst();
}
