import { sql, type Executor } from '@aaf-sync/db';
import { col, insertRows } from '../sql/bulk.js';
import type { PlanItem } from './plan-item.js';

const ITEM_COLUMNS = [
  col('import_id', 'bigint'),
  col('seq', 'int'),
  col('structure_jointure'),
  col('entity'),
  col('key'),
  col('action'),
  col('base_version', 'int'),
  col('file_id', 'bigint'),
  col('payload', 'json'),
];

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
    const rows = batch.map((item) => [
      importId,
      ++seq,
      item.unit,
      item.entity,
      item.key,
      item.action,
      item.baseVersion,
      item.fileId,
      item.payload,
    ]);
    await insertRows(db, 'import_plan_item', ITEM_COLUMNS, rows);
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
