import { sql, type Kysely } from 'kysely';

/**
 * The scheduler's transition log (packages/scheduler): one row per calendar transition it ran or
 * tried (id = the transition's stable id, `<schoolYear>/<type>/<subject>`). A row with `done_at`
 * is never run again; a failed attempt keeps its error and the instant of the next attempt
 * (backoff). Redis only carries the jobs that wake the scheduler up: the calendar document and
 * this table are the truth.
 *
 * Imports get the status `suspended`: received, planned and reported while the calendar
 * suspends the directory feed (the summer), not applied.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table calendar_transition (
      id text primary key,
      type text not null,
      due_at timestamptz not null,
      calendar_version integer,
      started_at timestamptz,
      done_at timestamptz,
      outcome jsonb,
      attempts integer not null default 0 check (attempts >= 0),
      last_error jsonb,
      next_attempt_at timestamptz
    );
    create index calendar_transition_failing on calendar_transition (next_attempt_at)
      where done_at is null;

    alter table import_run drop constraint import_run_status_check;
    alter table import_run add constraint import_run_status_check check (status in (
      'queued', 'planning', 'planned', 'applying', 'applied', 'held', 'partially_held',
      'dry_run', 'duplicate', 'refused', 'failed', 'discarded', 'suspended'));
    create index import_run_suspended on import_run (file_date) where status = 'suspended';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists import_run_suspended;
    update import_run set status = 'dry_run' where status = 'suspended';
    alter table import_run drop constraint import_run_status_check;
    alter table import_run add constraint import_run_status_check check (status in (
      'queued', 'planning', 'planned', 'applying', 'applied', 'held', 'partially_held',
      'dry_run', 'duplicate', 'refused', 'failed', 'discarded'));
    drop table if exists calendar_transition;
  `.execute(db);
}
