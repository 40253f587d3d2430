import { bulkDelete, bulkInsert, bulkUpdate, sql } from '@aaf-sync/db';
import type { ApplyContext } from './apply-context.js';
import { pupilStructuresOfRelatives, structuresOf } from './person-lookup.js';
import { accountCodes, allocateForAccounts } from './relative-accounts.js';

const CHUNK = 5000;

interface RelativeRow {
  id: number;
  jointure: string;
  version: number;
  primary_structure: string | null;
  has_account: boolean;
  given_name: string;
  sn: string;
}

async function recomputeChunk(ctx: ApplyContext, chunk: string[]): Promise<number> {
  const { rows: persons } = await sql<RelativeRow>`
    select id, jointure, version, primary_structure, has_account, given_name, sn from person
    where jointure = any(${chunk}::text[]) and category = 'relative' and state = 'active'
    for update`.execute(ctx.trx);
  const desired = await pupilStructuresOfRelatives(ctx.trx, chunk, accountCodes(ctx));
  const current = await structuresOf(ctx.trx, chunk);
  const changed = persons.filter((p) => {
    const want = desired.get(p.jointure) ?? [];
    const have = current.get(p.jointure) ?? [];
    const primary = p.primary_structure && want.includes(p.primary_structure);
    return (
      want.join() !== have.join() ||
      (primary ? p.primary_structure : (want[0] ?? null)) !== p.primary_structure ||
      want.length > 0 !== p.has_account
    );
  });
  // Relatives who become legal for a pupil gain an account: identifiers allocated now.
  const allocated = await allocateForAccounts(
    ctx,
    changed
      .filter((p) => !p.has_account && (desired.get(p.jointure) ?? []).length > 0)
      .map((p) => ({ personId: Number(p.id), givenName: p.given_name, sn: p.sn })),
  );
  const pair = (p: RelativeRow, s: string) => ({
    person_jointure: p.jointure,
    structure_jointure: s,
  });
  const adds: ReturnType<typeof pair>[] = [];
  const removes: ReturnType<typeof pair>[] = [];
  const rows: {
    jointure: string;
    primary_structure: string | null;
    has_account: boolean;
    version: number;
    last_import_id: number | null;
  }[] = [];
  for (const p of changed) {
    const want = desired.get(p.jointure) ?? [];
    const have = current.get(p.jointure) ?? [];
    const old = p.primary_structure;
    const primary = old && want.includes(old) ? old : (want[0] ?? null);
    const account = want.length > 0;
    for (const s of want) if (!have.includes(s)) adds.push(pair(p, s));
    for (const s of have) if (!want.includes(s)) removes.push(pair(p, s));
    rows.push({
      jointure: p.jointure,
      primary_structure: primary,
      has_account: account,
      version: p.version + 1,
      last_import_id: ctx.importId,
    });
    const fields: Record<string, unknown> = {};
    if (want.join() !== have.join()) fields.structures = [have, want];
    if (primary !== old) fields.primaryStructure = [old, primary];
    if (account !== p.has_account) fields.hasAccount = [p.has_account, account];
    const identifiers = allocated.get(Number(p.id));
    if (identifiers && Object.keys(identifiers).length > 0) fields.identifiers = [{}, identifiers];
    ctx.events.push({
      entityType: 'person',
      entityKey: p.jointure,
      op: 'updated',
      version: p.version + 1,
      uais: ctx.structures.uais([...have, ...want]),
      changes: { fields },
    });
  }
  const keys = ['person_jointure', 'structure_jointure'] as const;
  await bulkDelete(ctx.trx, 'person_structure', keys, removes);
  await bulkInsert(ctx.trx, 'person_structure', keys, adds, {
    onConflict: (oc) => oc.doNothing(),
  });
  await bulkUpdate(
    ctx.trx,
    'person',
    ['jointure'],
    ['primary_structure', 'has_account', 'version', 'last_import_id'],
    rows,
    { also: { updated_at: sql`now()` } },
  );
  return rows.length;
}

/**
 * Relatives belong to the establishments of the active pupils they are legally responsible for,
 * and hold an account while they have one. Relatives of the import get theirs when they are
 * applied (after the pupils); this pass recomputes the others whose pupils moved, joined, left or
 * departed, or whose links changed: losing the last legal link loses the account (establishments
 * removed, `hasAccount` false), gaining one allocates identifiers. Departed relatives are left
 * as they are.
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
