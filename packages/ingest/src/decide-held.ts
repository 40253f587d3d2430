import { sql } from '@aaf-sync/db';
import { applyPlan } from './apply/apply-plan.js';
import type { IngestDeps } from './deps.js';
import { IngestErrors } from './errors.js';
import { readPlanItems } from './plan/plan-store.js';
import { StructureDirectory } from './plan/structure-directory.js';
import { buildImportReport, type ImportReport } from './report/import-report.js';
import { recordDuplicateRelatives } from './report/duplicate-relatives.js';
import { recordOrphanedRelatives } from './report/import-warnings.js';
import { addUaisTouched, setRunStatus } from './run/import-run.repository.js';
import { withIngestLock } from './run/ingest-lock.js';

export interface HeldDecision {
  readonly importId: number;
  /** UAI (or structure jointure) of the held establishment. */
  readonly uai: string;
  readonly decision: 'approve' | 'discard';
  readonly actor: string;
}

async function heldUnits(deps: IngestDeps, d: HeldDecision): Promise<Set<string>> {
  const rows = await deps.db
    .selectFrom('import_plan')
    .select('structure_jointure')
    .where('import_id', '=', d.importId)
    .where('status', '=', 'held')
    .where((eb) => eb.or([eb('uai', '=', d.uai), eb('structure_jointure', '=', d.uai)]))
    .execute();
  if (rows.length === 0) throw IngestErrors.PLAN_NOT_FOUND({ importId: d.importId, uai: d.uai });
  return new Set(rows.map((r) => r.structure_jointure));
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
      } else {
        deps.log.info({ importId: d.importId, uai: d.uai, actor: d.actor }, 'held plan discarded');
      }
      await sql`delete from import_plan_item where import_id = ${d.importId}
        and structure_jointure = any(${[...units]}::text[])`.execute(trx);
      await trx
        .updateTable('import_plan')
        .set({
          status: d.decision === 'approve' ? 'approved' : 'discarded',
          decided_at: new Date(),
          decided_by: d.actor,
        })
        .where('import_id', '=', d.importId)
        .where('structure_jointure', 'in', [...units])
        .execute();
      const statuses = new Set(
        (
          await trx
            .selectFrom('import_plan')
            .select('status')
            .where('import_id', '=', d.importId)
            .execute()
        ).map((r) => r.status),
      );
      const applied = statuses.has('applied') || statuses.has('approved');
      await recordOrphanedRelatives(trx, d.importId);
      await setRunStatus(
        trx,
        d.importId,
        statuses.has('held')
          ? applied
            ? 'partially_held'
            : 'held'
          : applied
            ? 'applied'
            : 'discarded',
      );
    });
    await recordDuplicateRelatives(deps.db, d.importId);
    const report = await buildImportReport(deps.db, d.importId);
    await setRunStatus(deps.db, d.importId, report.status, {
      summary: report as unknown as Record<string, unknown>,
    });
    return report;
  });
}
