import { bulkInsert, sql, type Executor } from '@aaf-sync/db';
import type { AdAccount } from './read-ad-accounts.js';

export interface UnknownAdEntry {
  readonly employeeNumber: string;
  readonly dn: string;
  readonly samAccountName: string | null;
  readonly uai: string | null;
}

export async function startRun(db: Executor, targetId: number, at: Date): Promise<number> {
  const row = await db
    .insertInto('koxo_readback_run')
    .values({ target_id: targetId, status: 'running', started_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function finishRun(
  db: Executor,
  runId: number,
  r: {
    status: 'ok' | 'failed';
    at: Date;
    error?: string | null;
    counts?: Record<string, number>;
    unknown?: readonly UnknownAdEntry[];
  },
): Promise<void> {
  await db
    .updateTable('koxo_readback_run')
    .set({
      status: r.status,
      finished_at: r.at,
      error: r.error ?? null,
      ...(r.counts ? { counts: JSON.stringify(r.counts) as never } : {}),
      ...(r.unknown ? { unknown: JSON.stringify(r.unknown) as never } : {}),
    })
    .where('id', '=', runId)
    .execute();
}

/**
 * Person ids of the directory for these employeeNumbers (KoXo's `IdentifiantUnique`: the AAF id,
 * unique within an académie only): first the persons this target has published under that AAF
 * id, then directory keys, then the old jointures a person was renamed from (person_alias: KoXo
 * still holds the old one). So an id reused by a second académie's person matches the person the
 * target was sent, not the other académie's.
 */
export async function personsByJointure(
  db: Executor,
  targetId: number,
  jointures: readonly string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (jointures.length === 0) return out;
  const list = sql.val([...jointures]);
  const { rows } = await sql<{ jointure: string; id: string }>`
    select jointure, id from (
      select distinct p.aaf_id as jointure, p.id, 0 as rank
        from koxo_account a join person p on p.jointure = a.jointure
        where a.target_id = ${targetId} and p.aaf_id = any(${list}::text[])
      union all
      select jointure, id, 1 as rank from person where jointure = any(${list}::text[])
      union all
      select a.jointure, a.person_id as id, 2 as rank from person_alias a
        where a.jointure = any(${list}::text[])
          and not exists (select 1 from person p where p.jointure = a.jointure)
    ) m order by rank, id
  `.execute(db);
  for (const r of rows) if (!out.has(r.jointure)) out.set(r.jointure, Number(r.id));
  return out;
}

/** Persons this target has published once in a KoXo file (at any establishment). */
export async function publishedPersons(db: Executor, targetId: number): Promise<number[]> {
  const { rows } = await sql<{ id: string }>`
    select distinct p.id from koxo_account a join person p on p.jointure = a.jointure
    where a.target_id = ${targetId}
  `.execute(db);
  return rows.map((r) => Number(r.id));
}

/** Records the accounts found: their values now, seen now, no longer missing. */
export async function recordFound(
  db: Executor,
  targetId: number,
  runId: number,
  at: Date,
  found: readonly { personId: number; account: AdAccount }[],
): Promise<void> {
  await bulkInsert(
    db,
    'koxo_readback',
    [
      'target_id',
      'person_id',
      'sam_account_name',
      'dn',
      'home_directory',
      'enabled',
      'first_seen_at',
      'seen_at',
      'missing_runs',
      'missing_since',
      'run_id',
    ],
    found.map((f) => ({
      target_id: targetId,
      person_id: f.personId,
      sam_account_name: f.account.samAccountName,
      dn: f.account.dn,
      home_directory: f.account.homeDirectory,
      enabled: f.account.enabled,
      first_seen_at: at,
      seen_at: at,
      missing_runs: 0,
      missing_since: null,
      run_id: runId,
    })),
    {
      onConflict: (oc) =>
        oc.columns(['target_id', 'person_id']).doUpdateSet((eb) => ({
          sam_account_name: eb.ref('excluded.sam_account_name'),
          dn: eb.ref('excluded.dn'),
          home_directory: eb.ref('excluded.home_directory'),
          enabled: eb.ref('excluded.enabled'),
          first_seen_at: eb.fn.coalesce('koxo_readback.first_seen_at', 'excluded.first_seen_at'),
          seen_at: eb.ref('excluded.seen_at'),
          missing_runs: 0,
          missing_since: null,
          run_id: eb.ref('excluded.run_id'),
        })),
    },
  );
}

/**
 * Records the accounts published but not found: one more run missing, since when; the values
 * of their last sighting are kept (they say what the site deleted).
 */
export async function recordMissing(
  db: Executor,
  targetId: number,
  runId: number,
  at: Date,
  personIds: readonly number[],
): Promise<void> {
  if (personIds.length === 0) return;
  await sql`
    insert into koxo_readback (target_id, person_id, missing_runs, missing_since, run_id)
    select ${targetId}, id, 1, ${at}, ${runId} from unnest(${sql.val([...personIds])}::bigint[]) as id
    on conflict (target_id, person_id) do update set
      missing_runs = koxo_readback.missing_runs + 1,
      missing_since = coalesce(koxo_readback.missing_since, excluded.missing_since),
      run_id = excluded.run_id
  `.execute(db);
}

/** When the target's last read-back started (any outcome), or null. */
export async function lastRunStart(db: Executor, targetId: number): Promise<Date | null> {
  const row = await db
    .selectFrom('koxo_readback_run')
    .select('started_at')
    .where('target_id', '=', targetId)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? new Date(row.started_at) : null;
}
