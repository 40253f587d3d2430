import { sql, type Executor, type KoxoReadBackRun } from '@aaf-sync/db';
import { koxoOptions } from './koxo-options.js';
import type {
  ReadBackAccount,
  ReadBackEstablishment,
  ReadBackReport,
  ReadBackRunView,
} from './readback-report.schema.js';
import type { UnknownAdEntry } from './readback.repository.js';
import type { ReadBackTarget } from './run-readback.js';

interface Row {
  uai: string;
  jointure: string;
  id: string;
  given_name: string;
  sn: string;
  state: 'active' | 'departed';
  login: string | null;
  listed: boolean;
  sam_account_name: string | null;
  dn: string | null;
  home_directory: string | null;
  enabled: boolean | null;
  seen_at: Date | null;
  missing_runs: number | null;
  missing_since: Date | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function runView(r: KoxoReadBackRun | undefined): ReadBackRunView | null {
  if (!r) return null;
  return {
    id: Number(r.id),
    status: r.status,
    startedAt: iso(r.started_at)!,
    finishedAt: iso(r.finished_at),
    error: r.error,
    counts: r.counts,
  };
}

async function latestRun(db: Executor, targetId: number, ok: boolean) {
  let q = db
    .selectFrom('koxo_readback_run')
    .selectAll()
    .where('target_id', '=', targetId)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1);
  if (ok) q = q.where('status', '=', 'ok');
  return q.executeTakeFirst();
}

function account(r: Row): ReadBackAccount {
  return {
    jointure: r.jointure,
    personId: Number(r.id),
    name: `${r.sn} ${r.given_name}`.trim(),
    directoryState: r.state,
    listed: r.listed,
    login: r.login,
    samAccountName: r.sam_account_name,
    dn: r.dn,
    homeDirectory: r.home_directory,
    enabled: r.enabled,
    seenAt: iso(r.seen_at),
    missingRuns: r.missing_runs ?? 0,
    missingSince: iso(r.missing_since),
  };
}

/**
 * The read-back report of a KoXo target, per establishment (`uais`: the establishments asked
 * for, already limited to the caller's; null = every establishment of the target, and the
 * unknown entries no establishment could be given). Built from what the last runs recorded:
 * - `differentLogin`: found, with a sAMAccountName other than our `koxo` login (case ignored,
 *   as AD does);
 * - `missing`: listed by the current files, never found, after `missingAfterSyncs` runs;
 * - `deletedInsteadOfDisabled`: found before, absent from the last successful run;
 * - `disabled`: found disabled;
 * - `unknownEntries`: AD entries whose employeeNumber the directory does not know.
 */
export async function koxoReadBackReport(
  db: Executor,
  target: Pick<ReadBackTarget, 'id' | 'name' | 'uais' | 'options'>,
  uais: readonly string[] | null,
): Promise<ReadBackReport> {
  const { readBack } = koxoOptions(target);
  const threshold = readBack?.missingAfterSyncs ?? 3;
  const wanted = (uais ?? target.uais).filter((u) => target.uais.includes(u)).sort();
  const [last, lastOk] = await Promise.all([
    latestRun(db, target.id, false),
    latestRun(db, target.id, true),
  ]);
  const { rows } = await sql<Row>`
    with latest as (
      select distinct on (uai) id, uai from koxo_snapshot
      where target_id = ${target.id} and status = 'published'
        and uai = any(${sql.val(wanted)}::text[])
      order by uai, version desc
    ), listed as (
      select l.uai, unnest(f.jointures) as jointure
      from latest l join koxo_file f on f.snapshot_id = l.id
    )
    select a.uai, a.jointure, p.id, p.given_name, p.sn, p.state,
      (select i.value from identifier i where i.person_id = p.id and i.namespace = 'koxo'
        and i.status = 'primary' order by i.id limit 1) as login,
      exists (select 1 from listed x where x.uai = a.uai and x.jointure = a.jointure) as listed,
      r.sam_account_name, r.dn, r.home_directory, r.enabled, r.seen_at, r.missing_runs,
      r.missing_since
    from koxo_account a
      join person p on p.jointure = a.jointure
      left join koxo_readback r on r.target_id = a.target_id and r.person_id = p.id
    where a.target_id = ${target.id} and a.uai = any(${sql.val(wanted)}::text[])
    order by a.uai, a.jointure
  `.execute(db);

  const unknown = (lastOk?.unknown ?? []) as UnknownAdEntry[];
  const byUai = new Map<string, ReadBackEstablishment>();
  for (const uai of wanted) {
    byUai.set(uai, {
      uai,
      published: 0,
      listed: 0,
      found: 0,
      differentLogin: [],
      missing: [],
      deletedInsteadOfDisabled: [],
      disabled: [],
      unknownEntries: unknown.filter((u) => u.uai === uai),
    });
  }
  for (const r of rows) {
    const e = byUai.get(r.uai)!;
    const a = account(r);
    const foundNow = r.seen_at !== null && a.missingRuns === 0 && lastOk !== undefined;
    e.published++;
    if (a.listed) e.listed++;
    if (foundNow && a.listed) e.found++;
    if (foundNow && (a.samAccountName ?? '').toLowerCase() !== (a.login ?? '').toLowerCase()) {
      e.differentLogin.push(a);
    }
    if (foundNow && a.enabled === false) e.disabled.push(a);
    if (r.seen_at !== null && a.missingRuns > 0) e.deletedInsteadOfDisabled.push(a);
    if (a.listed && r.seen_at === null && a.missingRuns >= threshold) e.missing.push(a);
  }
  return {
    target: target.name,
    missingAfterSyncs: threshold,
    lastRun: runView(last),
    lastSuccessfulRun: runView(lastOk),
    establishments: [...byUai.values()],
    unattributedUnknownEntries:
      uais === null ? unknown.filter((u) => u.uai === null || !target.uais.includes(u.uai)) : null,
  };
}
