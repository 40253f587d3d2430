import { sql, type Database, type Kysely } from '@aaf-sync/db';
import { loadAccounts } from './account-source.js';
import type { ApplyItem, ApplyResult, DriverTarget, TargetDriver } from './driver.js';

export interface ReconcileOptions {
  readonly batchSize: number;
  /** First retry delay of a failed account; doubles per attempt, capped at one hour. */
  readonly retryBaseSeconds?: number;
}

export interface BatchResult {
  readonly taken: number;
  readonly applied: number;
  readonly excluded: number;
  readonly failed: number;
}

interface DueRow {
  person_id: number;
  desired_version: number;
  target_key: string | null;
  present: boolean;
  purge: boolean;
  attempts: number;
}

const MAX_RETRY_SECONDS = 3600;

/**
 * Reconciles one batch of a target's due rows (pending, or failed and due again): the desired
 * entry is computed from the directory as it is now, the driver applies the items, and each
 * row is marked in the same transaction that locked it (`for update skip locked`, so two
 * workers never take the same row and the dispatcher waits for the batch). An account out of
 * the target's establishments, departed or without identifiers is desired absent; if the target
 * holds nothing for it, the row is `excluded` without calling the driver. A row a deletion
 * campaign marked (`purge`) reaches the driver with `purge: true` while it stays out of the
 * target (the driver deletes instead of disabling); provisioned again, the mark is cleared. A failed account gets
 * its own backoff; if the driver throws (target unavailable) the transaction rolls back and every
 * row stays as it was.
 */
export async function reconcileBatch(
  db: Kysely<Database>,
  target: DriverTarget,
  driver: TargetDriver,
  options: ReconcileOptions,
): Promise<BatchResult> {
  const retryBase = options.retryBaseSeconds ?? 30;
  const started = performance.now();
  const result = await db.transaction().execute(async (trx) => {
    const due = await sql<DueRow>`
      select person_id, desired_version, target_key, present, purge, attempts from provisioning
      where target_id = ${target.id} and status in ('pending', 'failed') and next_attempt_at <= now()
      order by next_attempt_at, person_id
      limit ${options.batchSize}
      for update skip locked
    `.execute(trx);
    if (due.rows.length === 0) return { taken: 0, applied: 0, excluded: 0, failed: 0 };
    const accounts = await loadAccounts(
      trx,
      due.rows.map((r) => Number(r.person_id)),
    );
    const items: ApplyItem[] = due.rows.map((r) => {
      const account = accounts.get(Number(r.person_id));
      const inScope =
        account !== undefined &&
        account.state === 'active' &&
        account.uais.some((u) => target.uais.includes(u));
      const entry = inScope ? driver.desired(account) : null;
      return {
        personId: Number(r.person_id),
        jointure: account?.jointure ?? null,
        desiredVersion: r.desired_version,
        previousKey: r.target_key,
        present: r.present,
        entry,
        // A campaign's deletion, while the account stays out of the target.
        ...(entry === null && r.purge ? { purge: true } : {}),
      };
    });
    // A deletion reaches the driver while the target still holds an entry (even disabled).
    const purging = (i: ApplyItem) => i.purge === true && i.previousKey !== null;
    const work = items.filter((i) => i.entry !== null || i.present || purging(i));
    const results = new Map<number, ApplyResult>();
    for (const r of work.length > 0 ? await driver.apply(work) : []) results.set(r.personId, r);
    const attempts = new Map(due.rows.map((r) => [Number(r.person_id), r.attempts]));
    let applied = 0;
    let excluded = 0;
    let failed = 0;
    const updates = items.map((i) => {
      const nothingToDo = i.entry === null && !i.present && !purging(i);
      const r: ApplyResult =
        results.get(i.personId) ??
        (nothingToDo
          ? // Nothing to write; an entry the target still holds (disabled) keeps its key, so a
            // replay or a full reconcile never forgets it (a deletion campaign needs it).
            { personId: i.personId, ok: true, key: i.previousKey }
          : { personId: i.personId, ok: false, error: 'no result from the driver' });
      if (r.ok) {
        if (i.entry === null) excluded += 1;
        else applied += 1;
        return {
          p: i.personId,
          v: i.desiredVersion,
          s: i.entry === null ? 'excluded' : 'applied',
          k: r.key,
          pr: i.entry !== null,
          e: null,
          d: 0,
          // Provisioned again: a former campaign deletion no longer applies.
          pu: i.entry === null && i.purge === true,
        };
      }
      failed += 1;
      const n = attempts.get(i.personId) ?? 0;
      return {
        p: i.personId,
        v: null,
        s: 'failed',
        k: i.previousKey,
        pr: i.present,
        e: r.error.slice(0, 1000),
        d: Math.min(MAX_RETRY_SECONDS, retryBase * 2 ** n),
        pu: i.purge === true,
      };
    });
    await sql`
      update provisioning r set
        applied_version = coalesce(x.v, r.applied_version),
        status = x.s,
        attempts = case when x.s = 'failed' then r.attempts + 1 else 0 end,
        next_attempt_at = now() + make_interval(secs => x.d),
        last_error = x.e,
        target_key = x.k,
        present = x.pr,
        purge = x.pu,
        applied_at = case when x.s = 'failed' then r.applied_at else now() end,
        updated_at = now()
      from json_to_recordset(${JSON.stringify(updates)}::json)
        as x(p bigint, v int, s text, k text, pr boolean, e text, d float8, pu boolean)
      where r.target_id = ${target.id} and r.person_id = x.p
    `.execute(trx);
    return { taken: items.length, applied, excluded, failed };
  });
  if (result.taken === 0) return result;
  // The last batch, for /metrics and the status route (the API runs in another process).
  // Written after the commit, never inside the batch: the dispatcher locks `target_consumer`
  // before the provisioning rows, so taking it here while holding row locks could deadlock, and
  // a batch rolled back after its driver applied would apply those accounts again.
  await sql`
    update target_consumer set batch_at = now(),
      batch_seconds = ${(performance.now() - started) / 1000}::float8,
      batch_size = ${result.taken},
      applied_at = case when ${result.applied + result.excluded > 0}::boolean then now()
        else applied_at end
    where target_id = ${target.id}
  `.execute(db);
  return result;
}

/**
 * When the target's next failed row is due again (undefined: nothing waits); with
 * `groupPurges`, its group purges waiting for a retry count too.
 */
export async function nextRetryAt(
  db: Kysely<Database>,
  targetId: number,
  options: { groupPurges?: boolean } = {},
): Promise<Date | undefined> {
  const row = await db
    .selectFrom('provisioning')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('target_id', '=', targetId)
    .where('status', 'in', ['pending', 'failed'])
    .executeTakeFirst();
  const rows = row?.at ? new Date(row.at) : undefined;
  if (!options.groupPurges) return rows;
  const g = await db
    .selectFrom('group_purge')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('target_id', '=', targetId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  const groups = g?.at ? new Date(g.at) : undefined;
  if (!rows || !groups) return rows ?? groups;
  return rows < groups ? rows : groups;
}
