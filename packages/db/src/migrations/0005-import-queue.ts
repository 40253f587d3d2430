import { sql, type Kysely } from 'kysely';

/**
 * Imports run in the ingester, not in the API: an uploaded delivery is stored as a `queued` run
 * (its level and content hash are known once the ingester reads it, hence nullable), with its
 * progress while it runs; a decision on a held plan is a row the ingester executes. Redis only
 * carries the jobs: both are rebuilt from these rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table import_run drop constraint import_run_status_check;
    alter table import_run add constraint import_run_status_check check (status in (
      'queued', 'planning', 'planned', 'applying', 'applied', 'held', 'partially_held',
      'dry_run', 'duplicate', 'refused', 'failed', 'discarded'));
    alter table import_run alter column level drop not null;
    alter table import_run alter column content_hash drop not null;
    -- A queued run may also fail before it starts (its upload lost): then both stay unknown.
    alter table import_run add constraint import_run_known_when_started check (
      status in ('queued', 'failed') or (level is not null and content_hash is not null));
    -- { phase, recordsRead, bytesRead, updatedAt } written by the ingester while it runs.
    alter table import_run add column progress jsonb;
    create index import_run_queued on import_run (id) where status = 'queued';

    -- An approve/discard request on a held plan, executed by the ingester.
    create table import_decision (
      id bigint generated always as identity primary key,
      import_id bigint not null references import_run (id) on delete cascade,
      uai text not null,
      decision text not null check (decision in ('approve', 'discard')),
      actor text not null,
      status text not null default 'queued'
        check (status in ('queued', 'running', 'done', 'failed')),
      error jsonb,
      requested_at timestamptz not null default now(),
      finished_at timestamptz
    );
    -- One pending decision per plan.
    create unique index import_decision_pending on import_decision (import_id, uai)
      where status in ('queued', 'running');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists import_decision;
    drop index if exists import_run_queued;
    alter table import_run drop column if exists progress;
    alter table import_run drop constraint if exists import_run_known_when_started;
    delete from import_run where status = 'queued';
    alter table import_run alter column level set not null;
    alter table import_run alter column content_hash set not null;
    alter table import_run drop constraint import_run_status_check;
    alter table import_run add constraint import_run_status_check check (status in (
      'planning', 'planned', 'applying', 'applied', 'held', 'partially_held',
      'dry_run', 'duplicate', 'refused', 'failed', 'discarded'));
  `.execute(db);
}
