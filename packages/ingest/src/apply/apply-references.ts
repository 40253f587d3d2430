import {
  bulkInsert,
  bulkUpdate,
  sql,
  type BulkAlso,
  type BulkColumn,
  type BulkRow,
} from '@aaf-sync/db';
import { IngestErrors } from '../errors.js';
import type { ReferenceItem } from '../plan/plan-item.js';
import { referenceColumns, type ReferenceEntity } from '../plan/plan-reference.js';
import { aafIdOf } from '../plan/scope-keys.js';
import type { ApplyContext } from './apply-context.js';

/** Columns every reference table has. */
const TRACKING = [
  'attributes',
  'record_hash',
  'version',
  'last_import_id',
  'last_file_id',
] as const;

/** The key of each entity, the columns of `referenceColumns`, and both with the tracking. */
interface Spec<E extends ReferenceEntity> {
  readonly key: BulkColumn<E>;
  readonly columns: readonly BulkColumn<E>[];
  readonly written: readonly BulkColumn<E>[];
}

/** (checked against each table by the type of SPECS) */
const spec = <const K extends string, const C extends string>(key: K, columns: readonly C[]) => ({
  key,
  columns,
  written: [...columns, ...TRACKING],
});

const SPECS: { readonly [E in ReferenceEntity]: Spec<E> } = {
  structure: spec('jointure', ['uai', 'name', 'type', 'contract', 'academy', 'level']),
  subject: spec('code', ['label']),
  mef: spec('code', ['label', 'attachment', 'stat11']),
};

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

async function applyEntity<E extends ReferenceEntity>(
  ctx: ApplyContext,
  entity: E,
  items: ReferenceItem[],
): Promise<void> {
  const { key, columns, written }: Spec<E> = SPECS[entity];
  const now = await currentVersions(
    ctx,
    entity,
    items.map((i) => i.key),
  );
  const rows = (i: ReferenceItem, version: number) => {
    const values = referenceColumns(i.payload.record);
    const row: Record<string, unknown> = { [key]: i.key };
    for (const c of columns) row[c] = values[c] ?? null;
    Object.assign(row, {
      attributes: i.payload.attributes,
      record_hash: i.payload.hash,
      version,
      last_import_id: ctx.importId,
      last_file_id: i.fileId,
    });
    // referenceColumns names the columns of the record's own entity (one plan per kind).
    return row as BulkRow<E, BulkColumn<E>>;
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
  await bulkInsert(
    ctx.trx,
    entity,
    [key, ...written, ...(scoped ? ['scope' as BulkColumn<E>] : [])],
    creates.map((i) =>
      scoped ? ({ ...rows(i, 1), scope: ctx.scope } as BulkRow<E, BulkColumn<E>>) : rows(i, 1),
    ),
  );
  await bulkUpdate(
    ctx.trx,
    entity,
    [key],
    written,
    updates.map((i) => rows(i, (i.baseVersion ?? 0) + 1)),
    { also: { updated_at: sql`now()` } as BulkAlso<E> },
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
                // a structure's identity: its AAF id within its scope
                ...(scoped ? { jointure: aafIdOf(i.key), scope: ctx.scope } : {}),
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
