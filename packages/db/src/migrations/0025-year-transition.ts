import { sql, type Kysely } from 'kysely';

/**
 * The year transition per establishment (packages/groups `runYearTransition`): once the
 * initialisation complete of year N+1 is applied, classes and groups of year N left without
 * pupils are closed (`class_group.closed_at`, `closed_school_year`; a pupil joining again
 * reopens them) and one `year_transition` row keeps the report (closed classes, suspected
 * leftovers, classes referenced only by teachers). The row also makes the transition run once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table class_group
      add column closed_at timestamptz,
      add column closed_school_year text;

    create table year_transition (
      school_year text not null check (school_year ~ '^[0-9]{4}-[0-9]{4}$'),
      uai text not null,
      import_id bigint references import_run (id),
      initialisation_applied_at timestamptz not null,
      ran_at timestamptz not null,
      report jsonb not null,
      primary key (school_year, uai)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists year_transition;
    alter table class_group drop column if exists closed_at, drop column if exists closed_school_year;
  `.execute(db);
}
