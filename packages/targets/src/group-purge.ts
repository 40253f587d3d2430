import { sql, type Database, type Kysely } from '@aaf-sync/db';
import type { DriverTarget, GroupPurgeItem, GroupPurgeResult, TargetDriver } from './driver.js';

export interface GroupPurgeOptions {
  readonly batchSize: number;
  /** First retry delay after a failure; doubles per attempt, capped at one hour (default 30 s). */
  readonly retryBaseSeconds?: number;
  /** A purge the target refused this many times is `failed` for good (default 8). */
  readonly maxAttempts?: number;
}

export interface GroupPurgeBatch {
  readonly taken: number;
  readonly deleted: number;
  readonly skipped: number;
  /** Refused this time (retried later, or `failed` for good after `maxAttempts`). */
  readonly failed: number;
}

interface DueGroup {
  campaign_id: number;
  subject: string;
  uai: string;
  kind: 'class' | 'group';
  code: string;
  attempts: number;
}

const MAX_RETRY_SECONDS = 3600;
const keyOf = (r: { campaign_id: number | string; subject: string }) =>
  `${String(r.campaign_id)}/${r.subject}`;

/**
 * Works one batch of a target's due group purges (the empty-groups campaigns' decisions, migration
 * 0027): the driver's `purgeGroups` deletes each group on the target (and Scribe's teaching team
 * with it) unless it has members there again, and each row is marked in the transaction that
 * locked it (`for update skip locked`). A driver without `purgeGroups` (a kind that holds no
 * groups) gets its purges `skipped`. A group the target refused is retried with backoff and
 * `failed` after `maxAttempts`; when the driver throws (target unavailable) the batch rolls back,
 * the rows record the error and wait for their next attempt, and the error is thrown again (the
 * job is retried like a reconcile).
 */
export async function purgeGroupsBatch(
  db: Kysely<Database>,
  target: DriverTarget,
  driver: TargetDriver,
  options: GroupPurgeOptions,
): Promise<GroupPurgeBatch> {
  const retryBase = options.retryBaseSeconds ?? 30;
  const maxAttempts = options.maxAttempts ?? 8;
  const delay = (attempts: number) => Math.min(MAX_RETRY_SECONDS, retryBase * 2 ** attempts);
  let claimed: DueGroup[] = [];
  try {
    return await db.transaction().execute(async (trx) => {
      const { rows } = await sql<DueGroup>`
        select campaign_id, subject, uai, kind, code, attempts from group_purge
        where target_id = ${target.id} and status = 'pending' and next_attempt_at <= now()
        order by next_attempt_at, campaign_id, subject
        limit ${options.batchSize}
        for update skip locked`.execute(trx);
      claimed = rows;
      if (rows.length === 0) return { taken: 0, deleted: 0, skipped: 0, failed: 0 };
      const items: GroupPurgeItem[] = rows.map((r) => ({
        id: keyOf(r),
        uai: r.uai,
        kind: r.kind,
        code: r.code,
      }));
      const results = new Map<string, GroupPurgeResult>();
      if (driver.purgeGroups) {
        for (const r of await driver.purgeGroups(items)) results.set(r.id, r);
      }
      const counts = { taken: rows.length, deleted: 0, skipped: 0, failed: 0 };
      const updates = rows.map((row) => {
        const r: GroupPurgeResult = driver.purgeGroups
          ? (results.get(keyOf(row)) ?? {
              id: keyOf(row),
              outcome: 'failed',
              error: 'no result from the driver',
            })
          : {
              id: keyOf(row),
              outcome: 'kept',
              reason: `the ${target.kind} driver deletes no groups`,
            };
        const base = { c: row.campaign_id, s: row.subject };
        if (r.outcome === 'deleted') {
          counts.deleted += 1;
          const reason = r.removed.length === 0 ? 'not on the target' : null;
          return { ...base, st: 'deleted', r: reason, e: null, d: 0, a: row.attempts };
        }
        if (r.outcome === 'kept') {
          counts.skipped += 1;
          return { ...base, st: 'skipped', r: r.reason, e: null, d: 0, a: row.attempts };
        }
        counts.failed += 1;
        const attempts = row.attempts + 1;
        return {
          ...base,
          st: attempts >= maxAttempts ? 'failed' : 'pending',
          r: null,
          e: r.error.slice(0, 1000),
          d: delay(row.attempts),
          a: attempts,
        };
      });
      await sql`
        update group_purge g set status = x.st, reason = x.r, last_error = x.e,
          attempts = x.a, next_attempt_at = now() + make_interval(secs => x.d),
          done_at = case when x.st = 'pending' then null else now() end
        from json_to_recordset(${JSON.stringify(updates)}::json)
          as x(c bigint, s text, st text, r text, e text, d float8, a int)
        where g.campaign_id = x.c and g.target_id = ${target.id} and g.subject = x.s`.execute(trx);
      return counts;
    });
  } catch (err) {
    // The target is unavailable: the batch rolled back; each row records why and waits.
    if (claimed.length > 0) {
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
      const keys = JSON.stringify(claimed.map((r) => ({ c: r.campaign_id, s: r.subject })));
      await sql`
        update group_purge g set attempts = g.attempts + 1, last_error = ${message},
          next_attempt_at = now() + make_interval(secs => least(${MAX_RETRY_SECONDS},
            ${retryBase}::float8 * power(2, g.attempts)))
        from json_to_recordset(${keys}::json) as x(c bigint, s text)
        where g.campaign_id = x.c and g.target_id = ${target.id} and g.subject = x.s
          and g.status = 'pending'`.execute(db);
    }
    throw err;
  }
}

/**
 * Targets with group purges due (for the sweep): each with the time of its first due purge.
 * Only active targets of the given kinds (those this process has a driver for).
 */
export async function groupPurgesDue(
  db: Kysely<Database>,
  kinds: readonly string[],
): Promise<{ targetId: number; at: Date }[]> {
  if (kinds.length === 0) return [];
  const { rows } = await sql<{ target_id: number; at: Date }>`
    select g.target_id, min(g.next_attempt_at) as at from group_purge g
    join target t on t.id = g.target_id
    where g.status = 'pending' and t.state = 'active' and t.kind = any(${sql.val([...kinds])}::text[])
    group by g.target_id`.execute(db);
  return rows.map((r) => ({ targetId: Number(r.target_id), at: new Date(r.at) }));
}
