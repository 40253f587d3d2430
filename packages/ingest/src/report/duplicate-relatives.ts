import type { Executor } from '@aaf-sync/db';
import { countDuplicateRelatives } from '@aaf-sync/directory';
import { planStructures, setDuplicateRelativeCounts } from '../run/import-plan.repository.js';

/**
 * Counts the likely-duplicate relatives of each establishment of an import once it is applied
 * (one set-based statement), and keeps the count with the establishment's plan
 * (`counts.duplicateRelatives`) so the report shows it without recomputing. Duplicates are fixed
 * at the source (SIECLE); the API lists them per establishment.
 */
export async function recordDuplicateRelatives(db: Executor, importId: number): Promise<void> {
  const structures = await planStructures(db, importId, ['applied', 'approved', 'dry_run']);
  if (structures.length === 0) return;
  const counts = await countDuplicateRelatives(db, structures);
  await setDuplicateRelativeCounts(
    db,
    importId,
    new Map(structures.map((s) => [s, counts.get(s) ?? 0])),
  );
}
