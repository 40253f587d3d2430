import { sql, type Kysely } from 'kysely';

/**
 * Notices for people (packages/scheduler `recordNotice`): missing deliveries, group warnings and
 * summaries, campaign previews… One row per notice (`dedupe_key` unique: an effect that runs
 * twice writes one notice), addressed to establishments (`uais`, empty = académie-wide) and
 * optionally to group managers (`managers`, person ids). `notice_read` remembers who read what
 * (`reader` = `key:<id>` or `manager:<personId>`).
 *
 * The event log gets the entity `notice` (`notice.created`), and its entity types become a
 * checked list (EVENT_ENTITIES).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table notice (
      id bigint generated always as identity primary key,
      kind text not null check (kind ~ '^[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*$'),
      uais text[] not null default '{}',
      managers bigint[],
      title text not null,
      body text not null,
      data jsonb not null default '{}',
      dedupe_key text not null unique,
      created_at timestamptz not null default now()
    );
    create index notice_by_uai on notice using gin (uais);
    create index notice_by_manager on notice using gin (managers);
    create table notice_read (
      notice_id bigint not null references notice (id) on delete cascade,
      reader text not null,
      read_at timestamptz not null default now(),
      primary key (notice_id, reader)
    );
    alter table change_event add constraint change_event_entity_type_check check (entity_type in (
      'structure', 'subject', 'mef', 'person', 'class', 'group', 'membership', 'relative_link',
      'teaching_link', 'head_teacher', 'person_function', 'direction', 'identifier', 'managed_group',
      'notice'));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table change_event drop constraint if exists change_event_entity_type_check;
    delete from change_event where entity_type = 'notice';
    drop table if exists notice_read;
    drop table if exists notice;
  `.execute(db);
}
