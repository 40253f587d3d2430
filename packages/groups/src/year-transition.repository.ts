import { sql, type Executor } from '@aaf-sync/db';

/** An establishment whose initialisation complete of the new year was applied. */
export interface InitialisedEstablishment {
  readonly uai: string;
  readonly importId: number;
  /** When the run was recorded (before its apply): memberships older than this are year N's. */
  readonly createdAt: Date;
  readonly appliedAt: Date;
}

/**
 * Per establishment, the first complete dated `fromDate` or later that was applied to it (the
 * initialisation complete of the new year; same rule as packages/calendar-store's feed state),
 * for the establishments with no year_transition row of `schoolYear` yet.
 */
export async function findInitialisedWithoutTransition(
  db: Executor,
  schoolYear: string,
  fromDate: string,
  uais: readonly string[] | null,
): Promise<InitialisedEstablishment[]> {
  const { rows } = await sql<{
    uai: string;
    id: number;
    created_at: Date;
    finished_at: Date;
  }>`
    select distinct on (u.uai) u.uai, r.id, r.created_at, r.finished_at
    from import_run r cross join lateral unnest(r.uais_touched) as u(uai)
    where r.kind = 'complete' and r.status in ('applied', 'partially_held') and not r.dry_run
      and r.finished_at is not null and r.file_date >= ${fromDate}::date
      and (${uais === null}::boolean or u.uai = any(${uais ?? []}::text[]))
      and not exists (
        select 1 from year_transition y where y.school_year = ${schoolYear} and y.uai = u.uai)
    order by u.uai, r.finished_at, r.id`.execute(db);
  return rows.map((r) => ({
    uai: r.uai,
    importId: Number(r.id),
    createdAt: new Date(r.created_at),
    appliedAt: new Date(r.finished_at),
  }));
}

export interface ClosedClass {
  readonly kind: 'class' | 'group';
  readonly structure: string;
  readonly code: string;
  readonly label: string;
  readonly version: number;
  readonly wasState: 'active' | 'empty';
}

/**
 * Closes the classes and groups of the establishment that no pupil belongs to (teachers' links
 * do not count): `closed_at`, `closed_school_year`, state `empty`, version + 1.
 */
export async function closeUnoccupiedClasses(
  db: Executor,
  uai: string,
  endingYear: string,
  now: Date,
): Promise<ClosedClass[]> {
  const { rows } = await sql<{
    kind: 'class' | 'group';
    structure_jointure: string;
    code: string;
    label: string;
    version: number;
    was_state: 'active' | 'empty';
  }>`
    with target as (
      select c.id, c.state as was_state
      from class_group c join structure s on s.jointure = c.structure_jointure
      where s.uai = ${uai} and c.closed_at is null
        and not exists (select 1 from membership m where m.class_group_id = c.id)
      for update of c
    )
    update class_group c
    set closed_at = ${now}, closed_school_year = ${endingYear}, state = 'empty',
      version = c.version + 1, updated_at = now()
    from target
    where c.id = target.id
    returning c.kind, c.structure_jointure, c.code, c.label, c.version, target.was_state`.execute(
    db,
  );
  return rows
    .map((r) => ({
      kind: r.kind,
      structure: r.structure_jointure,
      code: r.code,
      label: r.label,
      version: r.version,
      wasState: r.was_state,
    }))
    .sort((a, b) =>
      a.kind !== b.kind
        ? a.kind < b.kind
          ? -1
          : 1
        : a.code < b.code
          ? -1
          : a.code > b.code
            ? 1
            : 0,
    );
}

export interface LeftoverClass {
  readonly code: string;
  readonly label: string;
  readonly pupils: number;
  /** Pupils who already sat in this class before the initialisation complete (year N). */
  readonly stayed: number;
  readonly share: number;
}

/**
 * Classes of the establishment whose active pupils sat in that very class before `cutoff` in a
 * share of at least `minShare`: likely year-N leftovers (pupils not moved out in SIECLE).
 */
export async function findLeftoverClasses(
  db: Executor,
  uai: string,
  cutoff: Date,
  minShare: number,
): Promise<LeftoverClass[]> {
  const { rows } = await sql<{ code: string; label: string; pupils: number; stayed: number }>`
    select c.code, c.label, count(*)::int as pupils,
      (count(*) filter (where m.since < ${cutoff}))::int as stayed
    from class_group c
      join structure s on s.jointure = c.structure_jointure
      join membership m on m.class_group_id = c.id
      join person p on p.jointure = m.person_jointure and p.category = 'pupil' and p.state = 'active'
    where s.uai = ${uai} and c.kind = 'class'
    group by c.id, c.code, c.label
    having count(*) filter (where m.since < ${cutoff}) >= ${minShare}::float8 * count(*)
    order by c.code`.execute(db);
  return rows.map((r) => ({
    code: r.code,
    label: r.label,
    pupils: r.pupils,
    stayed: r.stayed,
    share: Math.round((r.stayed / r.pupils) * 1000) / 1000,
  }));
}

export interface TeacherOnlyClass {
  readonly kind: 'class' | 'group';
  readonly code: string;
  readonly teachers: number;
}

/** Class and group codes of the establishment referenced by teachers only (no pupil in them). */
export async function findTeacherOnlyClasses(
  db: Executor,
  uai: string,
): Promise<TeacherOnlyClass[]> {
  const { rows } = await sql<{ kind: 'class' | 'group'; code: string; teachers: number }>`
    select t.kind, t.code, count(distinct t.person_jointure)::int as teachers
    from teaching_link t
      join structure s on s.jointure = t.structure_jointure
      left join class_group c
        on c.structure_jointure = t.structure_jointure and c.kind = t.kind and c.code = t.code
    where s.uai = ${uai}
      and (c.id is null or not exists (select 1 from membership m where m.class_group_id = c.id))
    group by t.kind, t.code
    order by t.kind, t.code`.execute(db);
  return rows;
}

/** Claims the (schoolYear, uai) transition; false when it was already done. */
export async function claimYearTransition(
  db: Executor,
  row: {
    schoolYear: string;
    uai: string;
    importId: number;
    appliedAt: Date;
    ranAt: Date;
  },
): Promise<boolean> {
  const inserted = await db
    .insertInto('year_transition')
    .values({
      school_year: row.schoolYear,
      uai: row.uai,
      import_id: row.importId,
      initialisation_applied_at: row.appliedAt,
      ran_at: row.ranAt,
      report: JSON.stringify({}),
    })
    .onConflict((oc) => oc.columns(['school_year', 'uai']).doNothing())
    .returning('uai')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function saveYearTransitionReport(
  db: Executor,
  schoolYear: string,
  uai: string,
  report: Record<string, unknown>,
): Promise<void> {
  await db
    .updateTable('year_transition')
    .set({ report: JSON.stringify(report) })
    .where('school_year', '=', schoolYear)
    .where('uai', '=', uai)
    .execute();
}

/** The report of one establishment's transition (the latest, or of `schoolYear`). */
export async function findYearTransition(db: Executor, uai: string, schoolYear?: string) {
  let q = db
    .selectFrom('year_transition')
    .selectAll()
    .where('uai', '=', uai)
    .orderBy('school_year', 'desc')
    .limit(1);
  if (schoolYear) q = q.where('school_year', '=', schoolYear);
  return q.executeTakeFirst();
}
