import { sql, type Kysely } from 'kysely';

/**
 * Identity by INE. A pupil arriving under a new jointure whose INE belongs to a known pupil (1D →
 * 2D at the collège, a move between académies) is the same person: the row takes the new
 * jointure (identifiers, history and links kept) and the old jointure is recorded here as an
 * alias of the person, so that it is never merged again and can still be looked up.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table person_alias (
      jointure text primary key,
      person_id bigint not null references person (id),
      reason text not null check (reason in ('ine')),
      import_id bigint,
      created_at timestamptz not null default now()
    );
    create index person_alias_by_person on person_alias (person_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table person_alias`.execute(db);
}
