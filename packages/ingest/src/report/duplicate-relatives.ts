import { sql, type Executor } from '@aaf-sync/db';
import { countDuplicateRelatives } from '@aaf-sync/directory';

/**
 * Counts the likely-duplicate relatives of each establishment of an import once it is applied
 * (one set-based statement), and keeps the count with the establishment's plan
 * (`counts.duplicateRelatives`) so the report shows it without recomputing. Duplicates are fixed
 * at the source (SIECLE); the API lists them per establishment.
 */
export async function recordDuplicateRelatives(db: Executor, importId: number): Promise<void> {
  const plans = await db
    .selectFrom('import_plan')
    .select('structure_jointure')
    .where('import_id', '=', importId)
    .where('status', 'in', ['applied', 'approved', 'dry_run'])
    .execute();
  const structures = plans.map((p) => p.structure_jointure);
  const counts = await countDuplicateRelatives(db, structures);
  await sql`
    update import_plan p set counts = p.counts || jsonb_build_object('duplicateRelatives', c.n)
    from unnest(${structures}::text[], ${structures.map((s) => counts.get(s) ?? 0)}::int[]) as c(s, n)
    where p.import_id = ${importId} and p.structure_jointure = c.s`.execute(db);
}
