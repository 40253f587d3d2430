import type { Executor } from '@aaf-sync/db';
import type { DeliveryState } from '../plan/delivery-state.js';
import { insertEstablishmentPlans } from '../run/import-plan.repository.js';

/**
 * One `import_plan` row per establishment touched: its counts (by category too) and its hold
 * decision; and, in `import_run.tallies`, the no-establishment line and the reference lines.
 */
export async function writeEstablishmentPlans(
  db: Executor,
  importId: number,
  state: DeliveryState,
  active: ReadonlyMap<string, number>,
  held: ReadonlySet<string>,
  dryRun: boolean,
): Promise<void> {
  const rows = state.stats.structures().map((structure) => ({
    import_id: importId,
    structure_jointure: structure,
    // (a structure held for its UAI conflict is not in the directory yet: its holder's UAI)
    uai: state.structures.uai(structure) ?? state.structures.uai(state.uaiConflicts.get(structure)),
    status: dryRun
      ? ('dry_run' as const)
      : held.has(structure)
        ? ('held' as const)
        : ('planned' as const),
    over_threshold: held.has(structure) && !state.uaiConflicts.has(structure),
    counts: JSON.stringify({
      ...state.stats.get(structure),
      byCategory: state.stats.byCategory(structure),
      holdReason: state.uaiConflicts.has(structure)
        ? 'uai_conflict'
        : held.has(structure)
          ? 'departures'
          : null,
    }),
    active_before: active.get(structure) ?? 0,
    departures: state.stats.departures(structure),
  }));
  await db
    .updateTable('import_run')
    .set({
      tallies: JSON.stringify({
        noEstablishment: { ...state.stats.none(), byCategory: state.stats.byCategory(null) },
        references: state.references.toJSON(),
      }),
    })
    .where('id', '=', importId)
    .execute();
  await insertEstablishmentPlans(db, rows);
}
