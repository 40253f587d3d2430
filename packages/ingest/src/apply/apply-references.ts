import { sql } from '@aaf-sync/db';
import { IngestErrors } from '../errors.js';
import type { ReferenceItem } from '../plan/plan-item.js';
import { referenceColumns, type ReferenceEntity } from '../plan/plan-reference.js';
import { col, insertRows, updateRows, type Column } from '../sql/bulk.js';
import type { ApplyContext } from './apply-context.js';

const SPECS: Record<ReferenceEntity, { key: string; columns: Column[] }> = {
  structure: {
    key: 'jointure',
    columns: [col('uai'), col('name'), col('type'), col('contract'), col('academy'), col('level')],
  },
  subject: { key: 'code', columns: [col('label')] },
  mef: { key: 'code', columns: [col('label'), col('attachment'), col('stat11')] },
};

const TRACKING = [
  col('attributes', 'json'),
  col('record_hash'),
  col('version', 'int'),
  col('last_import_id', 'bigint'),
  col('last_file_id', 'bigint'),
];

async function currentVersions(
  ctx: ApplyContext,
  entity: ReferenceEntity,
  keys: string[],
): Promise<Map<string, number>> {
  const key = SPECS[entity].key;
  const { rows } = await sql<{ k: string; version: number }>`
    select ${sql.ref(key)} as k, version from ${sql.table(entity)} where ${sql.ref(key)} = any(${keys}::text[])
    for update`.execute(ctx.trx);
  return new Map(rows.map((r) => [r.k, r.version]));
}

async function applyEntity(
  ctx: ApplyContext,
  entity: ReferenceEntity,
  items: ReferenceItem[],
): Promise<void> {
  const spec = SPECS[entity];
  const now = await currentVersions(
    ctx,
    entity,
    items.map((i) => i.key),
  );
  const rows = (i: ReferenceItem, version: number) => {
    const values = referenceColumns(i.payload.record);
    return [
      i.key,
      ...spec.columns.map((c) => values[c.name] ?? null),
      i.payload.attributes,
      i.payload.hash,
      version,
      ctx.importId,
      i.fileId,
    ];
  };
  for (const i of items) {
    const moved = i.action === 'create' ? now.has(i.key) : now.get(i.key) !== i.baseVersion;
    if (moved) {
      throw IngestErrors.DATA_MOVED({
        uai: i.unit ?? '-',
        importId: ctx.importId,
        reason: `${entity} ${i.key} changed since the plan was made`,
      });
    }
  }
  const creates = items.filter((i) => i.action === 'create');
  const updates = items.filter((i) => i.action === 'update');
  // A structure belongs to the académie scope of the import that creates it.
  const scoped = entity === 'structure';
  const columns = [col(spec.key), ...spec.columns, ...TRACKING, ...(scoped ? [col('scope')] : [])];
  await insertRows(
    ctx.trx,
    entity,
    columns,
    creates.map((i) => [...rows(i, 1), ...(scoped ? [ctx.scope] : [])]),
  );
  await updateRows(
    ctx.trx,
    entity,
    [col(spec.key)],
    [...spec.columns, ...TRACKING],
    updates.map((i) => rows(i, (i.baseVersion ?? 0) + 1)),
    {
      extraSet: 'updated_at = now()',
    },
  );
  for (const i of items) {
    const record = i.payload.record;
    const uais = record.kind === 'structure' && record.uai ? [record.uai] : [];
    ctx.events.push({
      entityType: entity,
      entityKey: i.key,
      op: i.action === 'create' ? 'created' : 'updated',
      version: i.action === 'create' ? 1 : (i.baseVersion ?? 0) + 1,
      uais,
      fileId: i.fileId,
      changes:
        i.action === 'create'
          ? {
              after: {
                key: i.key,
                ...referenceColumns(record),
                ...(scoped ? { scope: ctx.scope } : {}),
              },
            }
          : { fields: i.payload.fields },
    });
  }
}

/** Creates and updates structures, subjects and MEFs (never deleted by an import). */
export async function applyReferences(
  ctx: ApplyContext,
  items: readonly ReferenceItem[],
): Promise<void> {
  for (const entity of ['structure', 'subject', 'mef'] as const) {
    const mine = items.filter((i) => i.entity === entity);
    if (mine.length > 0) await applyEntity(ctx, entity, mine);
  }
}
