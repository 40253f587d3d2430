import { sql, type Executor } from '@aaf-sync/db';

export interface PersonVersion {
  readonly id: number;
  readonly version: number;
  readonly state: 'active' | 'departed';
}

/** Current id, version and state of the given persons (absent ones are missing from the map). */
export async function versionsOf(
  db: Executor,
  jointures: readonly string[],
): Promise<Map<string, PersonVersion>> {
  if (jointures.length === 0) return new Map();
  const { rows } = await sql<{ jointure: string } & PersonVersion>`
    select jointure, id, version, state from person where jointure = any(${[...jointures]}::text[])
    for update`.execute(db);
  return new Map(rows.map((r) => [r.jointure, { id: r.id, version: r.version, state: r.state }]));
}

/** The establishments of the given persons, sorted. */
export async function structuresOf(
  db: Executor,
  jointures: readonly string[],
): Promise<Map<string, string[]>> {
  if (jointures.length === 0) return new Map();
  const { rows } = await sql<{ person_jointure: string; structures: string[] }>`
    select person_jointure, array_agg(structure_jointure order by structure_jointure) as structures
    from person_structure where person_jointure = any(${[...jointures]}::text[])
    group by person_jointure`.execute(db);
  return new Map(rows.map((r) => [r.person_jointure, r.structures]));
}

/**
 * The establishments relatives should have: those of the active pupils they are legally
 * responsible for (`legal` among `codes`, or unknown: a source without the flag), so a relative
 * with none holds no account. The pupils of the import are applied before the relatives, so
 * their links and establishments are current.
 */
export async function pupilStructuresOfRelatives(
  db: Executor,
  relatives: readonly string[],
  codes: readonly number[],
): Promise<Map<string, string[]>> {
  if (relatives.length === 0) return new Map();
  const { rows } = await sql<{ relative: string; structures: string[] }>`
    select rl.relative_jointure as relative,
      array_agg(distinct ps.structure_jointure order by ps.structure_jointure) as structures
    from relative_link rl
    join person p on p.jointure = rl.pupil_jointure and p.state = 'active'
    join person_structure ps on ps.person_jointure = rl.pupil_jointure
    where rl.relative_jointure = any(${[...relatives]}::text[])
      and (rl.legal is null or rl.legal = any(${[...codes]}::int[]))
    group by rl.relative_jointure`.execute(db);
  return new Map(rows.map((r) => [r.relative, r.structures]));
}
