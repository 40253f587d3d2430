import { sql } from '@aaf-sync/db';
import { col, deleteRows, insertRows, updateRows } from '../sql/bulk.js';
import type { ApplyContext } from './apply-context.js';
import { pupilStructuresOfRelatives, structuresOf } from './person-lookup.js';

const CHUNK = 5000;

async function recomputeChunk(ctx: ApplyContext, chunk: string[]): Promise<number> {
  const { rows: persons } = await sql<{
    jointure: string;
    version: number;
    primary_structure: string | null;
  }>`
    select jointure, version, primary_structure from person
    where jointure = any(${chunk}::text[]) and category = 'relative' and state = 'active'
    for update`.execute(ctx.trx);
  const desired = await pupilStructuresOfRelatives(ctx.trx, chunk);
  const current = await structuresOf(ctx.trx, chunk);
  const adds: string[][] = [];
  const removes: string[][] = [];
  const rows: unknown[][] = [];
  for (const p of persons) {
    const want = desired.get(p.jointure) ?? [];
    const have = current.get(p.jointure) ?? [];
    const old = p.primary_structure;
    const primary = old && want.includes(old) ? old : (want[0] ?? null);
    if (want.join() === have.join() && primary === old) continue;
    for (const s of want) if (!have.includes(s)) adds.push([p.jointure, s]);
    for (const s of have) if (!want.includes(s)) removes.push([p.jointure, s]);
    rows.push([p.jointure, primary, p.version + 1, ctx.importId]);
    const fields: Record<string, unknown> = { structures: [have, want] };
    if (primary !== old) fields.primaryStructure = [old, primary];
    ctx.events.push({
      entityType: 'person',
      entityKey: p.jointure,
      op: 'updated',
      version: p.version + 1,
      uais: ctx.structures.uais([...have, ...want]),
      changes: { fields },
    });
  }
  const keys = [col('person_jointure'), col('structure_jointure')];
  await deleteRows(ctx.trx, 'person_structure', keys, removes);
  await insertRows(ctx.trx, 'person_structure', keys, adds, 'on conflict do nothing');
  await updateRows(
    ctx.trx,
    'person',
    [col('jointure')],
    [col('primary_structure'), col('version', 'int'), col('last_import_id', 'bigint')],
    rows,
    { extraSet: 'updated_at = now()' },
  );
  return rows.length;
}

/**
 * Relatives belong to the establishments of their active pupils. Relatives of the import get
 * theirs when they are applied (after the pupils); this pass recomputes the others whose pupils
 * moved, joined, left or departed. Departed relatives are left as they are.
 */
export async function recomputeRelativeStructures(ctx: ApplyContext): Promise<number> {
  const all = [...ctx.touchedRelatives].sort();
  let changed = 0;
  for (let i = 0; i < all.length; i += CHUNK) {
    changed += await recomputeChunk(ctx, all.slice(i, i + CHUNK));
    await ctx.events.flushIfFull();
  }
  return changed;
}
