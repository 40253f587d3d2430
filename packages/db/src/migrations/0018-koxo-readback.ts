import { sql, type Kysely } from 'kysely';

/**
 * KoXo read-back (packages/koxo): what a KoXo site's Active Directory holds for our accounts,
 * found by `employeeNumber` (= the AAF jointure) in one paged search per run.
 * - `koxo_readback_run`: one row per run of a target (`running`, `ok`, `failed` with the error:
 *   an unreachable AD changes nothing else), with its counts and the AD entries carrying an
 *   employeeNumber the directory does not know (`unknown`, JSON).
 * - `koxo_readback`: per (target, person), the real values last read (sAMAccountName, DN, home
 *   directory, enabled from userAccountControl), when last seen, and for how many consecutive
 *   runs the account has been missing (values of the last sighting kept).
 * Independent of migrations 0016 and 0017.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table koxo_readback_run (
      id bigint generated always as identity primary key,
      target_id bigint not null references target (id) on delete cascade,
      status text not null check (status in ('running', 'ok', 'failed')),
      started_at timestamptz not null,
      finished_at timestamptz,
      error text,
      -- entries read, matched to accounts, unknown, duplicates…
      counts jsonb not null default '{}'::jsonb,
      -- AD entries with an employeeNumber the directory does not know: [{employeeNumber, dn, samAccountName, uai}]
      unknown jsonb not null default '[]'::jsonb
    );
    create index koxo_readback_run_latest on koxo_readback_run (target_id, started_at desc);

    create table koxo_readback (
      target_id bigint not null references target (id) on delete cascade,
      person_id bigint not null references person (id) on delete cascade,
      sam_account_name text,
      dn text,
      home_directory text,
      enabled boolean,
      first_seen_at timestamptz,
      seen_at timestamptz,
      -- consecutive runs without the account since it was last seen (or since it was published)
      missing_runs integer not null default 0,
      missing_since timestamptz,
      -- the run that last wrote the row (a purge of old runs keeps the values)
      run_id bigint references koxo_readback_run (id) on delete set null,
      primary key (target_id, person_id)
    );
    create index koxo_readback_person on koxo_readback (person_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists koxo_readback, koxo_readback_run;`.execute(db);
}
