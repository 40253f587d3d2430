import { sql, type Executor } from '@aaf-sync/db';

/**
 * The report of an approval: the new structures of the approved establishments, counted `held`
 * when planned (UAI_CONFLICT), are counted `created` now, on their file's outcomes and on the
 * structures line. Reads their plan items, so it runs before they are dropped.
 */
export async function countApprovedStructuresCreated(
  db: Executor,
  importId: number,
  units: readonly string[],
): Promise<number> {
  const { rows } = await sql<{ file_id: number | null; n: number }>`
    select file_id, count(*)::int as n from import_plan_item
    where import_id = ${importId} and entity = 'structure' and action = 'create'
      and structure_jointure = any(${[...units]}::text[])
    group by file_id`.execute(db);
  let total = 0;
  for (const { file_id, n } of rows) {
    total += n;
    if (file_id === null) continue;
    await sql`
      update import_file set outcomes = outcomes
        || jsonb_build_object('held', greatest(coalesce((outcomes->>'held')::int, 0) - ${n}, 0),
                              'created', coalesce((outcomes->>'created')::int, 0) + ${n})
      where id = ${file_id}`.execute(db);
  }
  if (total > 0) {
    await sql`
      update import_run set tallies = jsonb_set(tallies, '{references,structures}',
        coalesce(tallies #> '{references,structures}', '{}'::jsonb)
        || jsonb_build_object(
          'held', greatest(coalesce((tallies #>> '{references,structures,held}')::int, 0) - ${total}, 0),
          'created', coalesce((tallies #>> '{references,structures,created}')::int, 0) + ${total}))
      where id = ${importId}`.execute(db);
  }
  return total;
}
