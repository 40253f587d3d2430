import { blockingState, PROFILES, type Profile } from '@aaf-sync/calendar';
import { loadBlockingOverrides, loadCalendar, type StoredOverride } from '@aaf-sync/calendar-store';
import { appendEvents, sql, type Database, type Executor, type Kysely } from '@aaf-sync/db';

/** Advisory lock id serialising writers of access_block (transitions and principals' overrides). */
export const ACCESS_BLOCK_LOCK = 7_310_220;

export interface SyncAccessBlocksInput {
  /** The instant whose blocking state is applied (the transition's, or now). */
  readonly at: Date;
  /** Only these establishments (null or absent: every establishment of the directory). */
  readonly uais?: readonly string[] | null | undefined;
  /** Establishments left alone (they have transitions of their own). */
  readonly exceptUais?: readonly string[] | undefined;
  /** The event log actor: `calendar` for transitions, the key for a principal's change. */
  readonly actor: string;
  /** Written on the rows (which transition or request set them). */
  readonly source?: string | undefined;
}

export interface SyncAccessBlocksResult {
  /** Establishments whose blocking was evaluated. */
  readonly establishments: number;
  /** (establishment, profile) pairs blocked after the change. */
  readonly blockedProfiles: number;
  /** Accounts that became blocked, and that were reopened (one event each). */
  readonly blocked: number;
  readonly unblocked: number;
}

interface DesiredBlock {
  uai: string;
  profile: Profile;
  since: string;
  until: string;
  why: string;
  rule: string;
  source: 'calendar' | 'establishment';
}

/**
 * The accounts of these establishments blocked now, with their version and UAIs: the rule of
 * the SQL function `person_access_block` (every establishment of the person blocks its
 * profile), as one set-based statement (a call per person costs seconds at 100,000 persons).
 */
async function blockedAccounts(db: Executor, uais: readonly string[]) {
  const { rows } = await sql<{ id: number; jointure: string; version: number; uais: string[] }>`
    with ps as (
      select ps.person_jointure, s.uai from person_structure ps
      join structure s on s.jointure = ps.structure_jointure where s.uai is not null
    ), concerned as (
      select distinct person_jointure from ps where uai = any(${sql.val([...uais])}::text[])
    )
    select p.id, p.jointure, p.version, array_agg(distinct ps.uai order by ps.uai) as uais
    from concerned c
    join person p on p.jointure = c.person_jointure
    join ps on ps.person_jointure = p.jointure
    left join access_block b on b.uai = ps.uai and b.profile = p.profile
    where p.state = 'active' and p.has_account
    group by p.id
    having count(*) = count(b.uai)
  `.execute(db);
  return new Map(rows.map((r) => [Number(r.id), r]));
}

/** The current rows of these establishments, as comparable strings. */
async function currentBlocks(db: Executor, uais: readonly string[]): Promise<Set<string>> {
  const { rows } = await sql<{ k: string }>`
    select json_build_array(uai, profile, since, until, why, rule, source)::text as k
    from access_block where uai = any(${sql.val([...uais])}::text[])`.execute(db);
  return new Set(rows.map((r) => r.k));
}

/**
 * Makes `access_block` say what the calendar says at `at` for these establishments (each with
 * its principal's override, when within the limits), and writes one `person` `updated` event per
 * account whose access changed: `changes.accessBlocked` `[false, true]` or `[true, false]`. The
 * dispatcher then marks the account on every target (Scribe disables or re-enables it). One
 * transaction, serialised; running it twice writes nothing more (idempotent), and a transition
 * run late applies the state of its own instant only if it still holds at `at`.
 */
export async function syncAccessBlocks(
  db: Kysely<Database>,
  input: SyncAccessBlocksInput,
): Promise<SyncAccessBlocksResult> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${ACCESS_BLOCK_LOCK})`.execute(trx);
    const known = await sql<{ uai: string }>`
      select distinct uai from structure where uai is not null
      union select uai from access_block`.execute(trx);
    const except = new Set(input.exceptUais ?? []);
    const only = input.uais ? new Set(input.uais) : null;
    const uais = known.rows
      .map((r) => r.uai)
      .filter((u) => !except.has(u) && (only === null || only.has(u)))
      .sort();
    if (uais.length === 0) {
      return { establishments: 0, blockedProfiles: 0, blocked: 0, unblocked: 0 };
    }
    const calendar = await loadCalendar(trx);
    const overrides = calendar
      ? await loadBlockingOverrides(trx, uais)
      : new Map<string, StoredOverride>();
    const desired: DesiredBlock[] = [];
    for (const uai of calendar ? uais : []) {
      for (const profile of PROFILES) {
        const s = blockingState(calendar!.document, profile, input.at, overrides.get(uai));
        if (!s.blocked) continue;
        desired.push({
          uai,
          profile,
          since: s.from!.toISOString(),
          until: s.until!.toISOString(),
          why: s.why!,
          rule: s.rule!,
          source: s.source!,
        });
      }
    }
    // Nothing changes (a replay, a transition whose state already holds): nothing to write.
    const current = await currentBlocks(trx, uais);
    const wanted = await sql<{ k: string }>`
      select json_build_array(d.uai, d.profile, d.since, d.until, d.why, d.rule, d.source)::text as k
      from json_to_recordset(${JSON.stringify(desired)}::json) as d(uai text, profile text,
        since timestamptz, until timestamptz, why text, rule text, source text)`.execute(trx);
    if (wanted.rows.length === current.size && wanted.rows.every((r) => current.has(r.k))) {
      return {
        establishments: uais.length,
        blockedProfiles: desired.length,
        blocked: 0,
        unblocked: 0,
      };
    }
    const before = await blockedAccounts(trx, uais);
    await sql`
      delete from access_block b where b.uai = any(${sql.val(uais)}::text[])
        and not exists (select 1 from json_to_recordset(${JSON.stringify(desired)}::json)
          as d(uai text, profile text) where d.uai = b.uai and d.profile = b.profile)
    `.execute(trx);
    if (desired.length > 0) {
      await sql`
        insert into access_block as b (uai, profile, since, until, why, rule, source, transition_id)
        select d.uai, d.profile, d.since, d.until, d.why, d.rule, d.source, ${input.source ?? null}
        from json_to_recordset(${JSON.stringify(desired)}::json) as d(uai text, profile text,
          since timestamptz, until timestamptz, why text, rule text, source text)
        on conflict (uai, profile) do update set since = excluded.since, until = excluded.until,
          why = excluded.why, rule = excluded.rule, source = excluded.source,
          transition_id = excluded.transition_id, changed_at = now()
        where (b.since, b.until, b.why, b.rule, b.source)
          is distinct from (excluded.since, excluded.until, excluded.why, excluded.rule, excluded.source)
      `.execute(trx);
    }
    const after = await blockedAccounts(trx, uais);
    const event = (p: { jointure: string; version: number; uais: string[] }, blocked: boolean) => ({
      entityType: 'person' as const,
      entityKey: p.jointure,
      op: 'updated' as const,
      version: p.version,
      uais: p.uais,
      changes: { accessBlocked: [!blocked, blocked] },
      actor: input.actor,
    });
    const byId = (a: { id: number }, b: { id: number }) => Number(a.id) - Number(b.id);
    const newly = [...after.values()].filter((p) => !before.has(Number(p.id))).sort(byId);
    const reopened = [...before.values()].filter((p) => !after.has(Number(p.id))).sort(byId);
    await appendEvents(trx, [
      ...newly.map((p) => event(p, true)),
      ...reopened.map((p) => event(p, false)),
    ]);
    return {
      establishments: uais.length,
      blockedProfiles: desired.length,
      blocked: newly.length,
      unblocked: reopened.length,
    };
  });
}
