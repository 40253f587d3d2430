import { applyPlan } from './apply/apply-plan.js';
import type { IngestDeps } from './deps.js';
import { IngestErrors } from './errors.js';
import { StructureDirectory } from './plan/structure-directory.js';
import type { ImportReport } from './report/import-report.js';
import { recordOrphanedRelatives } from './report/import-warnings.js';
import { finishRun } from './run/finish-run.js';
import { countApprovedStructuresCreated } from './run/held-structure-outcomes.js';
import {
  decidePlans,
  dropPlanItems,
  heldPlanStructures,
  planStatuses,
  readPlanItems,
} from './run/import-plan.repository.js';
import { addUaisTouched, setRunStatus } from './run/import-run.repository.js';
import { withIngestLock } from './run/ingest-lock.js';
import { runStatusOf } from './run/run-status.js';

export interface HeldDecision {
  readonly importId: number;
  /** UAI (or structure jointure) of the held establishment. */
  readonly uai: string;
  readonly decision: 'approve' | 'discard';
  readonly actor: string;
}

async function heldUnits(deps: IngestDeps, d: HeldDecision): Promise<Set<string>> {
  const structures = await heldPlanStructures(deps.db, d.importId, d.uai);
  if (structures.length === 0) {
    throw IngestErrors.PLAN_NOT_FOUND({ importId: d.importId, uai: d.uai });
  }
  return new Set(structures);
}

async function refuseIfOverridden(deps: IngestDeps, d: HeldDecision): Promise<void> {
  const newer = await deps.db
    .selectFrom('import_run')
    .select(['id', 'delivery_name'])
    .where('id', '>', d.importId)
    .where('status', 'in', ['applied', 'partially_held'])
    .orderBy('id')
    .executeTakeFirst();
  if (newer) {
    throw IngestErrors.DATA_MOVED({
      uai: d.uai,
      importId: d.importId,
      reason: `import ${newer.id} (${newer.delivery_name}) was applied after it`,
    });
  }
}

/**
 * Approves (applies exactly the held plan) or discards the plan of a held establishment. Approval
 * is refused when a newer import was applied since, or when any person of the plan moved.
 */
export async function decideHeldPlan(deps: IngestDeps, d: HeldDecision): Promise<ImportReport> {
  return withIngestLock(deps.db, 600_000, async () => {
    const units = await heldUnits(deps, d);
    await deps.db.transaction().execute(async (trx) => {
      if (d.decision === 'approve') {
        await refuseIfOverridden(deps, d);
        const structures = await StructureDirectory.load(trx);
        const items = readPlanItems(trx, d.importId, {
          batchSize: deps.settings.batchSize,
          onlyUnits: units,
        });
        const outcome = await applyPlan(trx, deps, d.importId, structures, items, d.actor);
        deps.log.info(
          { importId: d.importId, uai: d.uai, actor: d.actor, ...outcome },
          'held plan approved',
        );
        await addUaisTouched(trx, d.importId, outcome.uais);
        await countApprovedStructuresCreated(trx, d.importId, [...units]);
      } else {
        deps.log.info({ importId: d.importId, uai: d.uai, actor: d.actor }, 'held plan discarded');
      }
      await dropPlanItems(trx, [d.importId], [...units]);
      await decidePlans(
        trx,
        d.importId,
        [...units],
        d.decision === 'approve' ? 'approved' : 'discarded',
        d.actor,
      );
      await recordOrphanedRelatives(trx, d.importId);
      await setRunStatus(
        trx,
        d.importId,
        runStatusOf({ plans: await planStatuses(trx, d.importId) }),
      );
    });
    return finishRun(deps.db, d.importId);
  });
}
