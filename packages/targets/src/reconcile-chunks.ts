import { sql, type Executor } from '@aaf-sync/db';
import { loadAccounts } from './account-source.js';
import type { DriverTarget, HeldEntry, TargetDriver } from './driver.js';
import type { ReconcileReport } from './reconcile-target.js';
import {
  desiredOf,
  firstIn,
  judge,
  placeOf,
  Tally,
  type Mark,
  type RowState,
} from './reconcile-tally.js';

/**
 * The establishments of a full reconcile in chunks, in the target's order: consecutive
 * establishments whose accounts (persons counted under their first establishment of the
 * target, as the report counts them) add up to at most `maxAccounts`, a larger one alone.
 * One chunk when the whole target fits.
 */
export async function planChunks(
  db: Executor,
  scope: readonly string[],
  maxAccounts: number,
): Promise<string[][]> {
  const { rows } = await sql<{ uai: string; accounts: string }>`
    select x.uai, count(*) as accounts from (
      select min(s.uai) as uai from person p
      join person_structure ps on ps.person_jointure = p.jointure
      join structure s on s.jointure = ps.structure_jointure
      where s.uai = any(${sql.val([...scope])}::text[])
      group by p.id) x
    group by x.uai
  `.execute(db);
  const accounts = new Map(rows.map((r) => [r.uai, Number(r.accounts)]));
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const uai of scope) {
    const n = accounts.get(uai) ?? 0;
    if (current.length > 0 && size + n > maxAccounts) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(uai);
    size += n;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Rows of persons outside the target's establishments, read as accounts this many at a time. */
const REST_SLICE = 5000;

/** An account whose held entry may lie in another chunk: decided once every chunk was listed. */
interface Deferred {
  readonly id: number;
  readonly hasAccount: boolean;
  readonly jointure: string | null;
  readonly first: string | null;
  readonly row: RowState | undefined;
  readonly entryKey: string | null;
  /** The entry its own chunk holds under the row's key (second choice after `entryKey`). */
  readonly local: HeldEntry | undefined;
}

/**
 * The full reconcile of a target chunk by chunk ({@link planChunks}): per chunk, the driver's
 * inventory of its establishments, the accounts counted there and their provisioning rows,
 * compared as `reconcileTarget` does, then dropped. What one chunk cannot decide alone — an
 * account whose entry the target holds under another chunk's establishment (moved, or only a row
 * names it), an entry no account of its chunk explains — is kept in a small form until the end.
 * The report is the one of the whole comparison.
 */
export async function compareInChunks(
  db: Executor,
  target: DriverTarget,
  driver: TargetDriver,
  scope: readonly string[],
  chunks: readonly (readonly string[])[],
): Promise<{ report: Omit<ReconcileReport, 'dryRun' | 'marked'>; marks: Mark[] }> {
  const inventory = driver.inventory !== undefined;
  const tally = new Tally(scope);
  /** Every key an account wants or a row names (what explains a held entry). */
  const claimed = new Set<string>();
  /** Every held key seen, with its establishment (to list it again if a late account needs it). */
  const heldUai = new Map<string, string | null>();
  /** Held entries no account of their chunk explained: orphans unless a later account does. */
  const leftovers = new Map<string, HeldEntry>();
  const deferred: Deferred[] = [];
  const wanted = new Set<string>();
  const found = new Map<string, HeldEntry>();

  const compare = (
    ids: readonly number[],
    accounts: Awaited<ReturnType<typeof loadAccounts>>,
    rowOf: ReadonlyMap<number, RowState>,
    heldByKey: ReadonlyMap<string, HeldEntry>,
  ) => {
    for (const id of ids) {
      const account = accounts.get(id);
      const row = rowOf.get(id);
      const entry = desiredOf(driver, target, account);
      const rowKey = row?.target_key ?? null;
      if (entry) claimed.add(entry.key);
      if (rowKey) claimed.add(rowKey);
      const first = firstIn(scope, account);
      const own = entry ? heldByKey.get(entry.key) : undefined;
      if (own || !inventory || (!entry && !rowKey)) {
        const heldEntry = own ?? (rowKey ? heldByKey.get(rowKey) : undefined);
        const verdict = judge(driver, inventory, account !== undefined, row, entry, heldEntry);
        tally.add(id, account?.jointure ?? null, placeOf(scope, first, heldEntry), verdict);
        continue;
      }
      const local = rowKey ? heldByKey.get(rowKey) : undefined;
      const entryKey = entry?.key ?? null;
      deferred.push({
        id,
        hasAccount: account !== undefined,
        jointure: account?.jointure ?? null,
        first,
        row,
        entryKey,
        local,
      });
      if (entryKey) wanted.add(entryKey);
      if (rowKey) wanted.add(rowKey);
    }
  };
  const list = async (uais: readonly string[]) => {
    const held = driver.inventory ? await driver.inventory(uais) : [];
    for (const h of held) {
      heldUai.set(h.key, h.uai);
      if (wanted.has(h.key)) found.set(h.key, h);
    }
    return held;
  };

  for (const chunk of chunks) {
    const listing = list(chunk);
    listing.catch(() => undefined);
    const { rows: persons } = await sql<{ id: string }>`
      select p.id from person p
      join person_structure ps on ps.person_jointure = p.jointure
      join structure s on s.jointure = ps.structure_jointure
      where s.uai = any(${sql.val([...scope])}::text[])
      group by p.id having min(s.uai) = any(${sql.val([...chunk])}::text[])
      order by p.id
    `.execute(db);
    const ids = persons.map((p) => Number(p.id));
    const [accounts, rowOf] = await Promise.all([loadAccounts(db, ids), rowsOf(db, target, ids)]);
    const held = await listing;
    compare(ids, accounts, rowOf, new Map(held.map((h) => [h.key, h])));
    for (const h of held) if (!claimed.has(h.key)) leftovers.set(h.key, h);
  }

  // Rows of persons no longer in any of the target's establishments: held anywhere, if at all.
  const { rows: rest } = await sql<RowState>`
    select r.person_id, r.status, r.target_key, r.present from provisioning r
    where r.target_id = ${target.id} and not exists (
      select 1 from person p
      join person_structure ps on ps.person_jointure = p.jointure
      join structure s on s.jointure = ps.structure_jointure
      where p.id = r.person_id and s.uai = any(${sql.val([...scope])}::text[]))
    order by r.person_id
  `.execute(db);
  for (let i = 0; i < rest.length; i += REST_SLICE) {
    const slice = rest.slice(i, i + REST_SLICE);
    const ids = slice.map((r) => Number(r.person_id));
    const rowOf = new Map(slice.map((r) => [Number(r.person_id), r]));
    compare(ids, await loadAccounts(db, ids), rowOf, new Map());
  }

  await settleDeferred(db, target, driver, scope, {
    tally,
    deferred,
    claimed,
    heldUai,
    leftovers,
    found,
    list,
  });
  const orphans = [...leftovers.values()].filter((h) => !claimed.has(h.key));
  return tally.report(target.name, inventory, orphans);
}

/**
 * The deferred accounts, once every chunk was listed: their held entry is found among the
 * entries listed after them, the leftovers of earlier chunks, or (an entry an earlier chunk's
 * account explained too, rare) by listing its establishment again; an account found held has
 * its desired entry computed again for the comparison of attributes.
 */
async function settleDeferred(
  db: Executor,
  target: DriverTarget,
  driver: TargetDriver,
  scope: readonly string[],
  s: {
    tally: Tally;
    deferred: readonly Deferred[];
    claimed: ReadonlySet<string>;
    heldUai: ReadonlyMap<string, string | null>;
    leftovers: ReadonlyMap<string, HeldEntry>;
    found: Map<string, HeldEntry>;
    list: (uais: readonly string[]) => Promise<readonly HeldEntry[]>;
  },
) {
  const lookup = (key: string | null) =>
    key === null ? undefined : (s.found.get(key) ?? s.leftovers.get(key));
  const again = new Set<string>();
  const listAgain = (key: string | null) => {
    if (key === null || lookup(key) || !s.heldUai.has(key)) return false;
    const uai = s.heldUai.get(key);
    if (uai) again.add(uai);
    return true;
  };
  for (const d of s.deferred) {
    // The desired key first (held elsewhere?), else the row's (unless its own chunk held it).
    if (lookup(d.entryKey) || listAgain(d.entryKey) || d.local) continue;
    listAgain(d.row?.target_key ?? null);
  }
  if (again.size > 0) await s.list([...again]);
  const heldOf = (d: Deferred) =>
    lookup(d.entryKey) ?? d.local ?? lookup(d.row?.target_key ?? null);
  const reload = s.deferred.filter((d) => d.entryKey !== null && heldOf(d) !== undefined);
  const accounts = await loadAccounts(
    db,
    reload.map((d) => d.id),
  );
  for (const d of s.deferred) {
    const heldEntry = heldOf(d);
    const entry =
      d.entryKey === null
        ? null
        : heldEntry
          ? desiredOf(driver, target, accounts.get(d.id))
          : { key: d.entryKey, attributes: {} };
    const verdict = judge(driver, true, d.hasAccount, d.row, entry, heldEntry);
    s.tally.add(d.id, d.jointure, placeOf(scope, d.first, heldEntry), verdict);
  }
}

async function rowsOf(
  db: Executor,
  target: DriverTarget,
  ids: readonly number[],
): Promise<Map<number, RowState>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<RowState>`
    select person_id, status, target_key, present from provisioning
    where target_id = ${target.id} and person_id = any(${sql.val([...ids])}::bigint[])
  `.execute(db);
  return new Map(rows.map((r) => [Number(r.person_id), r]));
}
