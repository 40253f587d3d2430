import { sql, type Kysely } from 'kysely';

/**
 * The school-year calendar (packages/calendar): every version of the document with who stored it
 * and what it changed (the current one is the highest version), and the establishments' overrides
 * of the rentrée blocking (one row per UAI; their history is in audit_log). Numbered 0013 so that
 * the migrations 0009–0012 of parallel work keep their numbers.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table calendar_version (
      version integer primary key check (version > 0),
      document jsonb not null,
      changes jsonb not null default '[]',
      comment text,
      changed_by text not null,
      changed_at timestamptz not null default now()
    );
    create table calendar_blocking_override (
      uai text primary key,
      start_at timestamptz,
      end_at timestamptz,
      message text,
      calendar_version integer not null references calendar_version (version),
      changed_by text not null,
      changed_at timestamptz not null default now(),
      check (start_at is not null or end_at is not null or message is not null)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists calendar_blocking_override;
    drop table if exists calendar_version;
  `.execute(db);
}
