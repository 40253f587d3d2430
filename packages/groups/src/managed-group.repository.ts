import { sql, type Executor, type ManagedGroup } from '@aaf-sync/db';
import type { GroupPersonView } from './managed-group-view.js';

/** Establishment scope of a reader: null = every establishment. */
export interface GroupScope {
  readonly uais: readonly string[] | null;
}

export async function findManagedGroup(
  db: Executor,
  scope: GroupScope,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<ManagedGroup | undefined> {
  let q = db.selectFrom('managed_group').selectAll().where('id', '=', id);
  if (scope.uais !== null) {
    if (scope.uais.length === 0) return undefined;
    q = q.where('uai', 'in', scope.uais);
  }
  if (options.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? { ...row, id: Number(row.id) } : undefined;
}

export interface ListManagedGroupsFilter {
  readonly uai?: string | undefined;
  readonly includeDeleted?: boolean | undefined;
}

/** One keyset page (by id) of the groups the scope sees. */
export async function listManagedGroups(
  db: Executor,
  scope: GroupScope,
  filter: ListManagedGroupsFilter,
  page: { after: number | null; limit: number },
): Promise<ManagedGroup[]> {
  if (scope.uais !== null && scope.uais.length === 0) return [];
  let q = db.selectFrom('managed_group').selectAll().orderBy('id').limit(page.limit);
  if (scope.uais !== null) q = q.where('uai', 'in', scope.uais);
  if (filter.uai) q = q.where('uai', '=', filter.uai);
  if (!filter.includeDeleted) q = q.where('deleted_at', 'is', null);
  if (page.after !== null) q = q.where('id', '>', page.after);
  return (await q.execute()).map((r) => ({ ...r, id: Number(r.id) }));
}

/** Manager ids and member counts of the given groups. */
export async function groupPeopleSummary(
  db: Executor,
  ids: readonly number[],
): Promise<Map<number, { managers: number[]; members: number }>> {
  const out = new Map<number, { managers: number[]; members: number }>();
  for (const id of ids) out.set(id, { managers: [], members: 0 });
  if (ids.length === 0) return out;
  const managers = await db
    .selectFrom('managed_group_manager')
    .select(['group_id', 'person_id'])
    .where('group_id', 'in', ids)
    .execute();
  for (const m of managers) out.get(Number(m.group_id))!.managers.push(Number(m.person_id));
  const members = await db
    .selectFrom('managed_group_member')
    .select(['group_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('group_id', 'in', ids)
    .groupBy('group_id')
    .execute();
  for (const m of members) out.get(Number(m.group_id))!.members = Number(m.n);
  return out;
}

/** The managers or members of a group, by person id. */
export async function listGroupPeople(
  db: Executor,
  table: 'managed_group_manager' | 'managed_group_member',
  groupId: number,
): Promise<GroupPersonView[]> {
  const rows = await db
    .selectFrom(`${table} as g`)
    .innerJoin('person as p', 'p.id', 'g.person_id')
    .select(['p.id', 'p.given_name', 'p.sn', 'p.profile'])
    .where('g.group_id', '=', groupId)
    .orderBy('p.id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    givenName: r.given_name,
    sn: r.sn,
    profile: r.profile,
  }));
}

/** Of the given person ids, those active in the establishment, with their category. */
export async function activePersonsOf(
  db: Executor,
  uai: string,
  ids: readonly number[],
): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ id: number; category: string }>`
    select p.id, p.category
    from person p
    where p.id = any(${ids.map(Number)}::bigint[]) and p.state = 'active'
      and exists (
        select 1 from person_structure ps join structure s on s.jointure = ps.structure_jointure
        where ps.person_jointure = p.jointure and s.uai = ${uai}
      )`.execute(db);
  return new Map(rows.map((r) => [Number(r.id), r.category]));
}

export async function replaceGroupPeople(
  db: Executor,
  table: 'managed_group_manager' | 'managed_group_member',
  groupId: number,
  ids: readonly number[],
): Promise<{ added: number[]; removed: number[] }> {
  const current = (
    await db.selectFrom(table).select('person_id').where('group_id', '=', groupId).execute()
  ).map((r) => Number(r.person_id));
  const want = new Set(ids.map(Number));
  const have = new Set(current);
  const added = [...want].filter((id) => !have.has(id)).sort((a, b) => a - b);
  const removed = current.filter((id) => !want.has(id)).sort((a, b) => a - b);
  if (removed.length > 0) {
    await db
      .deleteFrom(table)
      .where('group_id', '=', groupId)
      .where('person_id', 'in', removed)
      .execute();
  }
  if (added.length > 0) {
    await db
      .insertInto(table)
      .values(added.map((person_id) => ({ group_id: groupId, person_id })))
      .execute();
  }
  return { added, removed };
}
