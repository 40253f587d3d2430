import {
  bulkInsert,
  sql,
  type Database,
  type Executor,
  type Kysely,
  type NewImportPlan,
  type PlanStatus,
} from '@aaf-sync/db';
import type { PlanItem } from '../plan/plan-item.js';

/**
 * Every statement on `import_plan` (one row per establishment an import touches: counts, hold
 * decision, status) and `import_plan_item` (the items of the plans that outlive their import:
 * held establishments, dry runs). The engine, the held-plan decisions, the report and the CLI go
 * through here; the API's read side (packages/directory) only reads.
 */

/** Inserts an import's establishment plans (planned, held or dry_run). */
export async function insertEstablishmentPlans(
  db: Executor,
  rows: readonly NewImportPlan[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('import_plan')
      .values(rows.slice(i, i + 1000))
      .execute();
  }
}

/** The statuses of an import's plans (the run's status derives from them: run-status.ts). */
export async function planStatuses(db: Executor, importId: number): Promise<PlanStatus[]> {
  const rows = await db
    .selectFrom('import_plan')
    .select('status')
    .where('import_id', '=', importId)
    .execute();
  return rows.map((r) => r.status);
}

/** The structures of an import's plans whose status is one of `statuses`. */
export async function planStructures(
  db: Executor,
  importId: number,
  statuses: readonly PlanStatus[],
): Promise<string[]> {
  const rows = await db
    .selectFrom('import_plan')
    .select('structure_jointure')
    .where('import_id', '=', importId)
    .where('status', 'in', [...statuses])
    .execute();
  return rows.map((r) => r.structure_jointure);
}

/** The held plans of an import for one establishment (by UAI or structure jointure). */
export async function heldPlanStructures(
  db: Executor,
  importId: number,
  uai: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('import_plan')
    .select('structure_jointure')
    .where('import_id', '=', importId)
    .where('status', '=', 'held')
    .where((eb) => eb.or([eb('uai', '=', uai), eb('structure_jointure', '=', uai)]))
    .execute();
  return rows.map((r) => r.structure_jointure);
}

/** The newest import holding a plan for an establishment (by UAI or structure jointure). */
export async function latestHeldImport(db: Executor, uai: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('import_plan')
    .select('import_id')
    .where('status', '=', 'held')
    .where((eb) => eb.or([eb('uai', '=', uai), eb('structure_jointure', '=', uai)]))
    .orderBy('import_id', 'desc')
    .executeTakeFirst();
  return row ? Number(row.import_id) : undefined;
}

/** The plans still `planned` once the import's apply ran: applied. */
export async function markPlannedApplied(db: Executor, importId: number): Promise<void> {
  await db
    .updateTable('import_plan')
    .set({ status: 'applied', decided_at: new Date() })
    .where('import_id', '=', importId)
    .where('status', '=', 'planned')
    .execute();
}

/** Records an approve/discard decision on held plans. */
export async function decidePlans(
  db: Executor,
  importId: number,
  structures: readonly string[],
  status: 'approved' | 'discarded',
  actor: string,
): Promise<void> {
  await db
    .updateTable('import_plan')
    .set({ status, decided_at: new Date(), decided_by: actor })
    .where('import_id', '=', importId)
    .where('structure_jointure', 'in', [...structures])
    .execute();
}

/**
 * A newer complete supersedes plans still held from older imports (they can no longer apply);
 * plan items of older imports that nobody can approve any more (dry runs, superseded) are dropped.
 */
export async function supersedeOlderHolds(
  db: Executor,
  importId: number,
  kind: string,
): Promise<void> {
  if (kind === 'complete') {
    await db
      .updateTable('import_plan')
      .set({ status: 'superseded', decided_at: new Date() })
      .where('import_id', '<', importId)
      .where('status', '=', 'held')
      .execute();
  }
  await sql`
    delete from import_plan_item i where i.import_id < ${importId}
      and not exists (select 1 from import_plan p where p.import_id = i.import_id
                      and p.structure_jointure = i.structure_jointure and p.status = 'held')`.execute(
    db,
  );
}

/** Keeps each establishment's count of likely-duplicate relatives with its plan. */
export async function setDuplicateRelativeCounts(
  db: Executor,
  importId: number,
  counts: ReadonlyMap<string, number>,
): Promise<void> {
  const structures = [...counts.keys()];
  await sql`
    update import_plan p set counts = p.counts || jsonb_build_object('duplicateRelatives', c.n)
    from unnest(${structures}::text[], ${structures.map((s) => counts.get(s) ?? 0)}::int[]) as c(s, n)
    where p.import_id = ${importId} and p.structure_jointure = c.s`.execute(db);
}

/** An import's plans with their structure's current name and UAI, for the report. */
export async function plansForReport(
  db: Kysely<Database>,
  importId: number,
  uais: readonly string[] | null,
) {
  let query = db
    .selectFrom('import_plan as p')
    .leftJoin('structure as s', 's.jointure', 'p.structure_jointure')
    .select([
      'p.structure_jointure',
      'p.uai',
      'p.status',
      'p.counts',
      'p.active_before',
      'p.departures',
      'p.over_threshold',
      's.name',
      's.uai as current_uai',
    ])
    .where('p.import_id', '=', importId);
  if (uais !== null) query = query.where('p.uai', 'in', uais.length > 0 ? [...uais] : ['']);
  return query.orderBy('p.uai').orderBy('p.structure_jointure').execute();
}

const ITEM_COLUMNS = [
  'import_id',
  'seq',
  'structure_jointure',
  'entity',
  'key',
  'action',
  'base_version',
  'file_id',
  'payload',
] as const;

/**
 * Copies plan items to `import_plan_item` (numbered in plan order), for the plans that must
 * outlive the import: held establishments (approved later) and dry runs (shown by the API).
 */
export async function persistPlanItems(
  db: Executor,
  importId: number,
  batches: AsyncIterable<readonly PlanItem[]>,
): Promise<number> {
  let seq = 0;
  for await (const batch of batches) {
    const rows = batch.map((item) => ({
      import_id: importId,
      seq: ++seq,
      structure_jointure: item.unit,
      entity: item.entity,
      key: item.key,
      action: item.action,
      base_version: item.baseVersion,
      file_id: item.fileId,
      payload: item.payload,
    }));
    await bulkInsert(db, 'import_plan_item', ITEM_COLUMNS, rows);
  }
  return seq;
}

/** Reads the stored items of some establishments of an import back, in plan order. */
export async function* readPlanItems(
  db: Executor,
  importId: number,
  options: { batchSize: number; onlyUnits: ReadonlySet<string> },
): AsyncGenerator<PlanItem[]> {
  let after = 0;
  const only = [...options.onlyUnits];
  for (;;) {
    const rows = await db
      .selectFrom('import_plan_item')
      .selectAll()
      .where('import_id', '=', importId)
      .where('seq', '>', after)
      .where(sql<boolean>`structure_jointure = any(${only}::text[])`)
      .orderBy('seq')
      .limit(options.batchSize)
      .execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.seq;
    yield rows.map(
      (r) =>
        ({
          entity: r.entity,
          action: r.action,
          key: r.key,
          unit: r.structure_jointure,
          baseVersion: r.base_version,
          fileId: r.file_id,
          payload: r.payload,
        }) as unknown as PlanItem,
    );
  }
}

/**
 * Drops plan items: all of some imports (a failed or interrupted run: nothing of it can be
 * approved), or those of some establishments of one import (decided).
 */
export async function dropPlanItems(
  db: Executor,
  importIds: readonly number[],
  structures?: readonly string[],
): Promise<void> {
  if (importIds.length === 0 || structures?.length === 0) return;
  let query = db.deleteFrom('import_plan_item').where('import_id', 'in', [...importIds]);
  if (structures) query = query.where('structure_jointure', 'in', [...structures]);
  await query.execute();
}
