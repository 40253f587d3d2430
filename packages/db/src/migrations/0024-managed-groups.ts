import { sql, type Kysely } from 'kysely';

/**
 * Groups created through the API (not from the AAF), with managers and a lifetime: `unlimited`,
 * or `school-year` (deleted at the end of `school_year`, or of `extended_until` when a manager
 * extended it). `source = 'timetable'`: created by a timetable import, deleted at year end in
 * every case, without notice. Deletion is soft (`deleted_at`; `deleted_by_transition` names the
 * calendar transition that deleted it, so the summary notice lists exactly those).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table managed_group (
      id bigint generated always as identity primary key,
      uai text not null,
      name text not null,
      description text,
      lifetime text not null check (lifetime in ('unlimited', 'school-year')),
      school_year text not null check (school_year ~ '^[0-9]{4}-[0-9]{4}$'),
      source text not null default 'api' check (source in ('api', 'timetable')),
      created_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1,
      extended_until text check (extended_until ~ '^[0-9]{4}-[0-9]{4}$'),
      extended_by text,
      extended_at timestamptz,
      deleted_at timestamptz,
      deleted_by text,
      deleted_by_transition text
    );
    create unique index managed_group_live_name on managed_group (uai, lower(name))
      where deleted_at is null;
    create index managed_group_by_uai on managed_group (uai, id);
    create index managed_group_expiring on managed_group (coalesce(extended_until, school_year))
      where deleted_at is null;
    create index managed_group_by_transition on managed_group (deleted_by_transition)
      where deleted_by_transition is not null;

    create table managed_group_manager (
      group_id bigint not null references managed_group (id),
      person_id bigint not null references person (id),
      primary key (group_id, person_id)
    );
    create index managed_group_manager_by_person on managed_group_manager (person_id);

    create table managed_group_member (
      group_id bigint not null references managed_group (id),
      person_id bigint not null references person (id),
      primary key (group_id, person_id)
    );
    create index managed_group_member_by_person on managed_group_member (person_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists managed_group_member;
    drop table if exists managed_group_manager;
    drop table if exists managed_group;
  `.execute(db);
}
