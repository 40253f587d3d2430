import { sql } from '@aaf-sync/db';
import type { PersonChangeItem } from '../plan/plan-item.js';
import type { ApplyContext } from './apply-context.js';
import { pupilStructuresOfRelatives } from './person-lookup.js';

/**
 * Relatives belong to the establishments of their active pupils. Those of the import were
 * applied first, so the relatives' establishments (and primary one) are set here, and the
 * relative is announced with them.
 */
export async function withPupilStructures(
  ctx: ApplyContext,
  items: readonly PersonChangeItem[],
  before: Map<string, string[]>,
): Promise<PersonChangeItem[]> {
  const relatives = items
    .filter((i) => i.payload.columns.category === 'relative')
    .map((i) => i.key);
  if (relatives.length === 0) return [...items];
  const wanted = await pupilStructuresOfRelatives(ctx.trx, relatives);
  return items.map((i) => {
    if (i.payload.columns.category !== 'relative') return i;
    const want = wanted.get(i.key) ?? [];
    const have = before.get(i.key) ?? [];
    const old = i.payload.columns.primaryStructure;
    const primary = old && want.includes(old) ? old : (want[0] ?? null);
    const fields = { ...i.payload.diff.fields };
    if (i.action !== 'create' && primary !== old) fields.primaryStructure = [old, primary];
    else delete fields.primaryStructure;
    const structures = {
      add: want.filter((s) => !have.includes(s)),
      remove: have.filter((s) => !want.includes(s)),
      update: [],
    };
    return {
      ...i,
      payload: {
        ...i.payload,
        columns: { ...i.payload.columns, primaryStructure: primary },
        diff: { fields, links: { ...i.payload.diff.links, structures } },
      },
    };
  });
}

/** Relatives whose establishments may change: linked, unlinked, or their pupil moved. */
export async function collectTouchedRelatives(
  ctx: ApplyContext,
  items: readonly PersonChangeItem[],
): Promise<void> {
  const moved: string[] = [];
  for (const i of items) {
    const d = i.payload.diff.links;
    for (const r of [...d.relatives.add, ...d.relatives.remove, ...d.relatives.update])
      ctx.touchedRelatives.add(r.jointure);
    if (
      i.payload.columns.category === 'pupil' &&
      (d.structures.add.length || d.structures.remove.length || i.action === 'restore')
    ) {
      moved.push(i.key);
    }
  }
  if (moved.length === 0) return;
  const { rows } = await sql<{ relative_jointure: string }>`
    select relative_jointure from relative_link where pupil_jointure = any(${moved}::text[])`.execute(
    ctx.trx,
  );
  for (const r of rows) ctx.touchedRelatives.add(r.relative_jointure);
}
