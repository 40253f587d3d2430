import { appendEvents, sql, type Executor } from '@aaf-sync/db';

/** A group as the notices list it, with one of its managers (null: it has none). */
export interface ListedGroup {
  readonly id: number;
  readonly uai: string;
  readonly name: string;
  readonly members: number;
  readonly manager: number | null;
}

interface GroupManagerRow {
  id: number;
  uai: string;
  name: string;
  members: number;
  manager: number | null;
}

/** API groups with their member count, one row per active manager (none: `manager` null). */
const GROUPS_WITH_ACTIVE_MANAGERS = sql`
    select g.id, g.uai, g.name, m.person_id as manager,
      (select count(*) from managed_group_member x where x.group_id = g.id)::int as members
    from managed_group g
      left join (managed_group_manager m join person p on p.id = m.person_id and p.state = 'active')
        on m.group_id = g.id`;

/**
 * Groups created through the API, limited to the school year, not deleted, whose year (or the
 * year they were extended to) ends with `endingYear` or earlier: one row per (group, active
 * manager); `manager` null when none is active (the establishment's admins are told instead).
 */
export async function findExpiringGroups(db: Executor, endingYear: string): Promise<ListedGroup[]> {
  const { rows } = await sql<GroupManagerRow>`${GROUPS_WITH_ACTIVE_MANAGERS}
    where g.deleted_at is null and g.source = 'api' and g.lifetime = 'school-year'
      and coalesce(g.extended_until, g.school_year) <= ${endingYear}
    order by g.uai, g.name, g.id, m.person_id`.execute(db);
  return rows.map(toListed);
}

/** Groups of the API deleted by the calendar transitions of `schoolYear` (for the summary). */
export async function findDeletedByCalendar(
  db: Executor,
  schoolYear: string,
): Promise<ListedGroup[]> {
  const { rows } = await sql<GroupManagerRow>`${GROUPS_WITH_ACTIVE_MANAGERS}
    where g.source = 'api' and g.deleted_by_transition like ${`${schoolYear}/groups.delete/%`}
    order by g.uai, g.name, g.id, m.person_id`.execute(db);
  return rows.map(toListed);
}

function toListed(r: GroupManagerRow): ListedGroup {
  return {
    id: Number(r.id),
    uai: r.uai,
    name: r.name,
    members: Number(r.members),
    manager: r.manager === null ? null : Number(r.manager),
  };
}

export interface DeletedGroup {
  readonly id: number;
  readonly uai: string;
  readonly name: string;
  readonly source: 'api' | 'timetable';
}

/**
 * Soft-deletes the groups whose year ended with `endingYear` or earlier: year-limited groups of
 * the API not extended past it, and every timetable group of those years. One `managed_group`
 * `deleted` event each, actor `calendar`, in the caller's transaction.
 */
export async function deleteExpiredGroups(
  db: Executor,
  endingYear: string,
  transitionId: string,
  now: Date,
): Promise<DeletedGroup[]> {
  const { rows } = await sql<{
    id: number;
    uai: string;
    name: string;
    source: 'api' | 'timetable';
    version: number;
  }>`
    update managed_group g
    set deleted_at = ${now}, deleted_by = 'calendar', deleted_by_transition = ${transitionId},
      updated_at = ${now}, version = g.version + 1
    where g.deleted_at is null and (
      (g.source = 'api' and g.lifetime = 'school-year'
        and coalesce(g.extended_until, g.school_year) <= ${endingYear})
      or (g.source = 'timetable' and g.school_year <= ${endingYear}))
    returning g.id, g.uai, g.name, g.source, g.version`.execute(db);
  const sorted = rows.map((r) => ({ ...r, id: Number(r.id) })).sort((a, b) => a.id - b.id);
  await appendEvents(
    db,
    sorted.map((r) => ({
      entityType: 'managed_group' as const,
      entityKey: String(r.id),
      op: 'deleted' as const,
      version: r.version,
      uais: [r.uai],
      changes: { before: { name: r.name, source: r.source }, reason: 'school-year-ended' },
      actor: 'calendar',
    })),
  );
  return sorted.map(({ id, uai, name, source }) => ({ id, uai, name, source }));
}
