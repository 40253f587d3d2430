import { getHeapStatistics } from 'node:v8';
import {
  bulkInsert,
  sql,
  withoutJit,
  type Database,
  type Executor,
  type Kysely,
} from '@aaf-sync/db';
import { loadAccounts } from './account-source.js';
import type { Account, DesiredEntry, DriverTarget, HeldEntry, TargetDriver } from './driver.js';
import { TargetsErrors } from './errors.js';
import { compareInChunks, planChunks } from './reconcile-chunks.js';
import {
  desiredOf,
  firstIn,
  judge,
  placeOf,
  Tally,
  type Mark,
  type RowState,
} from './reconcile-tally.js';
import { CHANGE_EVENT_CHANNEL } from './targets-runtime.js';

export interface ReconcileCounts {
  /** Accounts the target holds as the directory wants them. */
  inSync: number;
  toCreate: number;
  toUpdate: number;
  toDisable: number;
  /** Rows already waiting for the worker (pending or failed): left as they are. */
  pending: number;
  /** Entries the target holds that no account of the directory explains (never deleted). */
  orphans: number;
}

export type ReconcileAction = 'create' | 'update' | 'disable';

export interface ReconcileDifference {
  readonly personId: number;
  readonly jointure: string | null;
  /** The establishment it is counted under (null: no longer in any of the target's). */
  readonly uai: string | null;
  readonly action: ReconcileAction;
  readonly key: string | null;
  readonly reason: string;
}

export interface ReconcileReport {
  readonly target: string;
  readonly dryRun: boolean;
  /** The establishments compared (all of the target's, or the one asked for). */
  readonly uais: readonly string[];
  /** Whether the driver listed what the target holds (otherwise: provisioning state only). */
  readonly inventory: boolean;
  /** Counts per establishment; `uai: null` for accounts that left the target's establishments. */
  readonly establishments: readonly ({ uai: string | null } & ReconcileCounts)[];
  readonly totals: ReconcileCounts;
  readonly differences: readonly ReconcileDifference[];
  readonly orphans: readonly HeldEntry[];
  /** Provisioning rows set pending (0 on a dry run or when nothing differs). */
  readonly marked: number;
}

/**
 * Accounts compared at once by a full reconcile of several establishments, from the heap this
 * process may use (`heapLimitBytes`, V8's `heap_size_limit`): past it, the establishments are
 * taken in chunks of about this many accounts (a larger one alone), each with its own inventory,
 * so memory follows the largest chunk, not the target. Measured on a 50,000-account Scribe
 * target: about 166 MB of heap for 10,000 accounts compared at once, the whole target not fitting
 * the CLI's 256 MB. So 20 KiB per account above a 96 MiB base, at least 2,000: about 10,000 in
 * the CLI (`--max-old-space-size=256`), the whole target in a process with Node's default heap
 * (the targets process, where resumptions reconcile), which then compares in one piece.
 */
export function chunkAccountsFor(heapLimitBytes: number): number {
  const base = 96 * 1024 * 1024;
  return Math.max(2_000, Math.floor((heapLimitBytes - base) / (20 * 1024)));
}

export interface ReconcileOptions {
  /** One of the target's establishments only. */
  readonly uai?: string;
  /** Report only, write nothing. */
  readonly dryRun?: boolean;
  /** Accounts per chunk of establishments (default from this process' heap: {@link chunkAccountsFor}). */
  readonly chunkAccounts?: number;
  /** Filled with where the time went (benchmarks), when the target is compared in one piece. */
  readonly timings?: ReconcileTimings;
}

/**
 * Seconds from the start of a one-piece comparison: until the target was listed (`inventory`),
 * until the directory's accounts were read and their entries computed (`accounts`, meanwhile);
 * then the comparison itself (`compare`).
 */
export interface ReconcileTimings {
  inventory?: number;
  accounts?: number;
  compare?: number;
}

/**
 * Full reconcile of a target (or of one of its establishments): every account the directory
 * says the target should hold (persons of its establishments with a primary identifier, as
 * `reconcileBatch` computes the desired entry) and every account it has a provisioning row for,
 * compared with that row and, when the driver has an `inventory`, with what the target holds.
 * Each difference (to create, to update, to disable) sets its row pending (`desired_version`
 * + 1) so the worker applies it; entries the target holds that no account explains are
 * reported as orphans, never deleted. Rows already pending or failed are left to the worker.
 * A dry run, or a reconcile that finds no difference, writes nothing. A target of more
 * than `chunkAccounts` accounts is compared a chunk of establishments at a time, with the same
 * report. The cursor does not
 * move: events not yet dispatched are still dispatched (harmless replays).
 */
export async function reconcileTarget(
  db: Kysely<Database>,
  target: DriverTarget,
  driver: TargetDriver,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const { uai } = options;
  if (uai !== undefined && !target.uais.includes(uai)) {
    throw TargetsErrors.NOT_SERVED({ name: target.name, uai });
  }
  const scope = uai === undefined ? [...target.uais] : [uai];
  const chunks =
    uai === undefined && scope.length > 1
      ? await planChunks(
          db,
          scope,
          options.chunkAccounts ?? chunkAccountsFor(getHeapStatistics().heap_size_limit),
        )
      : [scope];
  let compare: (trx: Executor) => ReturnType<typeof compareTarget>;
  if (chunks.length > 1) {
    compare = (trx) => compareInChunks(trx, target, driver, scope, chunks);
  } else {
    // The target is listed while the directory's side is read (two servers working at once).
    const inventory = driver.inventory ? driver.inventory(scope) : Promise.resolve(null);
    inventory.catch(() => undefined);
    compare = (trx) => compareTarget(trx, target, driver, scope, uai, inventory, options.timings);
  }
  if (options.dryRun) return { ...(await compare(db)).report, dryRun: true, marked: 0 };
  return db.transaction().execute(async (trx) => {
    const { report, marks } = await compare(trx);
    if (marks.length > 0) await markPending(trx, target.id, marks);
    return { ...report, dryRun: false, marked: marks.length };
  });
}

/** What the comparison keeps of an account of the directory (not the account itself). */
interface Known {
  readonly jointure: string;
  /** Its first establishment in the scope. */
  readonly first: string | null;
  /** Its desired entry (digested when the driver digests them), or null. */
  readonly entry: DesiredEntry | null;
}

const NO_ATTRIBUTES: DesiredEntry['attributes'] = Object.freeze({});

async function compareTarget(
  db: Executor,
  target: DriverTarget,
  driver: TargetDriver,
  scope: readonly string[],
  uai: string | undefined,
  inventory: Promise<readonly HeldEntry[] | null>,
  timings: ReconcileTimings | undefined,
): Promise<{ report: Omit<ReconcileReport, 'dryRun' | 'marked'>; marks: Mark[] }> {
  const started = process.hrtime.bigint();
  const { rows: persons } = await sql<{ id: number }>`
    select distinct ps_p.id from person ps_p
    join person_structure ps on ps.person_jointure = ps_p.jointure
    join structure s on s.jointure = ps.structure_jointure
    where s.uai = any(${sql.val(scope)}::text[])
  `.execute(db);
  const personIds = persons.map((p) => Number(p.id));
  // The accounts are read a slice at a time while the target is listed (two servers working at
  // once), each reduced at once to what the comparison needs: its desired entry, digested when
  // the driver digests them, so that the accounts of a large target are never all held.
  const digest = driver.inventory && driver.digest ? driver.digest.bind(driver) : undefined;
  const known = new Map<number, Known>();
  const keep = (account: Account) => {
    const full = desiredOf(driver, target, account);
    const entry =
      full && digest ? { key: full.key, attributes: NO_ATTRIBUTES, digest: digest(full) } : full;
    known.set(account.id, { jointure: account.jointure, first: firstIn(scope, account), entry });
  };
  let read = 0n;
  const reading = eachAccount(db, personIds, keep).then(() => {
    read = process.hrtime.bigint();
  });
  reading.catch(() => undefined);
  const rowsOf = (heldKeys: readonly string[]) =>
    sql<RowState>`
    select person_id, status, target_key, present from provisioning
    where target_id = ${target.id}
      and (${uai === undefined}::boolean
        or person_id = any(${sql.val(personIds)}::bigint[])
        or target_key = any(${sql.val([...heldKeys])}::text[]))
  `.execute(db);
  // The whole target's rows do not depend on what it holds: read while it is listed.
  const early = uai === undefined ? rowsOf([]) : null;
  early?.catch(() => undefined);
  const held = await inventory;
  const listed = process.hrtime.bigint();
  const heldByKey = new Map((held ?? []).map((h) => [h.key, h]));
  const { rows } = await (early ?? rowsOf([...heldByKey.keys()]));
  const rowOf = new Map(rows.map((r) => [Number(r.person_id), r]));
  const ids = [...new Set([...personIds, ...rowOf.keys()])].sort((a, b) => a - b);
  // Accounts of the establishments (read meanwhile), then those only a row still names.
  await reading;
  const inSet = new Set(personIds);
  await eachAccount(
    db,
    ids.filter((id) => !inSet.has(id)),
    keep,
  );
  const compared = process.hrtime.bigint();

  const tally = new Tally(scope);
  const explained = new Set<string>();
  for (const id of ids) {
    const account = known.get(id);
    const row = rowOf.get(id);
    const entry = account?.entry ?? null;
    const heldEntry =
      (entry ? heldByKey.get(entry.key) : undefined) ??
      (row?.target_key ? heldByKey.get(row.target_key) : undefined);
    if (entry) explained.add(entry.key);
    if (row?.target_key) explained.add(row.target_key);
    const at = placeOf(scope, account?.first ?? null, heldEntry);
    // Per establishment: only accounts of that establishment (or held there).
    if (uai !== undefined && at === null) continue;
    tally.add(
      id,
      account?.jointure ?? null,
      at,
      judge(driver, held !== null, account !== undefined, row, entry, heldEntry),
    );
  }

  const orphans = (held ?? []).filter((h) => !explained.has(h.key));
  if (timings) {
    const s = (a: bigint, b: bigint) => Number(b - a) / 1e9;
    const done = process.hrtime.bigint();
    timings.inventory = s(started, listed);
    timings.accounts = s(started, read);
    timings.compare = s(compared, done);
  }
  return tally.report(target.name, held !== null, orphans);
}

/** Accounts read by one statement of a full reconcile. */
const ACCOUNT_SLICE = 2_500;

/**
 * Hands each account of these persons to `fn`, read {@link ACCOUNT_SLICE} at a time: every
 * slice's statements are queued at once, so the server goes from one to the next without
 * waiting for this process (busy with the target's inventory meanwhile: a slice asked for only
 * when the previous one was used left PostgreSQL idle, and the listing took three times as long
 * as alone), and each slice's rows are used and dropped in order as they come. JIT compilation is
 * turned off once for them all (`loadAccounts`, packages/db `withoutJit`).
 */
function eachAccount(
  db: Executor,
  ids: readonly number[],
  fn: (account: Account) => void,
): Promise<void> {
  if (ids.length === 0) return Promise.resolve();
  return withoutJit(db, async (trx) => {
    const slices: Promise<Map<number, Account>>[] = [];
    for (let i = 0; i < ids.length; i += ACCOUNT_SLICE) {
      const p = loadAccounts(trx, ids.slice(i, i + ACCOUNT_SLICE));
      p.catch(() => undefined);
      slices.push(p);
    }
    for (let i = 0; i < slices.length; i += 1) {
      const accounts = await slices[i]!;
      slices[i] = EMPTY;
      for (const account of accounts.values()) fn(account);
    }
  });
}

const EMPTY: Promise<Map<number, Account>> = Promise.resolve(new Map());

async function markPending(trx: Executor, targetId: number, marks: readonly Mark[]) {
  const json = JSON.stringify(marks);
  await sql`
    update provisioning r set desired_version = r.desired_version + 1, status = 'pending',
      attempts = 0, next_attempt_at = now(), last_error = null, updated_at = now(),
      present = coalesce(x.pr, r.present), target_key = coalesce(x.k, r.target_key)
    from json_to_recordset(${json}::json) as x(p bigint, pr boolean, k text)
    where r.target_id = ${targetId} and r.person_id = x.p
  `.execute(trx);
  await bulkInsert(
    trx,
    'provisioning',
    ['target_id', 'person_id', 'present', 'target_key'],
    marks.map((m) => ({
      target_id: targetId,
      person_id: m.p,
      present: m.pr ?? false,
      target_key: m.k,
    })),
    { onConflict: (oc) => oc.columns(['target_id', 'person_id']).doNothing() },
  );
  // Wakes the targets process (its dispatcher tick sweeps targets with due rows).
  await sql`select pg_notify(${CHANGE_EVENT_CHANNEL}, '')`.execute(trx);
}
