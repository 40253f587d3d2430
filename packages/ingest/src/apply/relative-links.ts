import { sql } from '@aaf-sync/db';
import type { PersonChangeItem } from '../plan/plan-item.js';
import type { ApplyContext } from './apply-context.js';
import { pupilStructuresOfRelatives } from './person-lookup.js';
import { accountCodes, accountsOf } from './relative-accounts.js';

/** The batch with the relatives' establishments set, and who holds an account after it. */
export interface WithAccounts {
  readonly items: PersonChangeItem[];
  /** Every person of the batch: pupils and staff always, relatives only while legal. */
  readonly accounts: Map<string, boolean>;
  /** Whether each updated person held an account before the batch. */
  readonly accountsBefore: Map<string, boolean>;
}

/**
 * Relatives belong to the establishments of the active pupils they are legally responsible for,
 * and hold an account only while they have one. Those of the import were applied first, so the
 * relatives' establishments (and primary one) and account are set here, and the relative is
 * announced with them (`hasAccount` among the changed fields when it changes).
 */
export async function withPupilStructures(
  ctx: ApplyContext,
  items: readonly PersonChangeItem[],
  before: Map<string, string[]>,
): Promise<WithAccounts> {
  const accounts = new Map(items.map((i) => [i.key, true]));
  const accountsBefore = await accountsOf(
    ctx.trx,
    items.filter((i) => i.action !== 'create').map((i) => i.key),
  );
  const relatives = items
    .filter((i) => i.payload.columns.category === 'relative')
    .map((i) => i.key);
  if (relatives.length === 0) return { items: [...items], accounts, accountsBefore };
  const wanted = await pupilStructuresOfRelatives(ctx.trx, relatives, accountCodes(ctx));
  const out = items.map((i) => {
    if (i.payload.columns.category !== 'relative') return i;
    const want = wanted.get(i.key) ?? [];
    const have = before.get(i.key) ?? [];
    const account = want.length > 0;
    accounts.set(i.key, account);
    const old = i.payload.columns.primaryStructure;
    const primary = old && want.includes(old) ? old : (want[0] ?? null);
    const fields = { ...i.payload.diff.fields };
    if (i.action !== 'create' && primary !== old) fields.primaryStructure = [old, primary];
    else delete fields.primaryStructure;
    const had = accountsBefore.get(i.key);
    if (i.action !== 'create' && had !== undefined && had !== account)
      fields.hasAccount = [had, account];
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
  return { items: out, accounts, accountsBefore };
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
  // A first import's creates: a pupil's relative links are those its one item just wrote (a link
  // row carries the item's own key), all collected above, so there is nothing else to read.
  if (moved.length === 0 || (ctx.firstImport && items.every((i) => i.action === 'create'))) return;
  const { rows } = await sql<{ relative_jointure: string }>`
    select relative_jointure from relative_link where pupil_jointure = any(${moved}::text[])`.execute(
    ctx.trx,
  );
  for (const r of rows) ctx.touchedRelatives.add(r.relative_jointure);
}
