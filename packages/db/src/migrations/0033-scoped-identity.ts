import { sql, type Kysely } from 'kysely';

/**
 * Identity is `(scope, AAF id)`. Every person and structure row keeps its `jointure` column as
 * the directory key used by every table, link, event and cursor; a record's key is its AAF id,
 * or `<id>@<scope>` when another académie scope already held that id as a key (no AAF id holds
 * '@': records whose id does are rejected). `aaf_id` is the AAF's own id within its scope, read
 * from the key (the part before '@'), so no writer has to keep it: existing rows get
 * `aaf_id = jointure`. Unique on `(scope, aaf_id)`: the same id in two scopes is two persons.
 * `person_qualified_key` (tiny) finds the qualified keys: whether there is any (planning), and a
 * person by AAF id (`jointure = id`, or a qualified key of that id).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table person add column aaf_id text not null
      generated always as (split_part(jointure, '@', 1)) stored;
    alter table structure add column aaf_id text not null
      generated always as (split_part(jointure, '@', 1)) stored;
    create unique index person_scope_aaf_id on person (scope, aaf_id);
    create unique index structure_scope_aaf_id on structure (scope, aaf_id);
    create index person_qualified_key on person (aaf_id) where jointure <> aaf_id;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index person_qualified_key;
    drop index structure_scope_aaf_id;
    drop index person_scope_aaf_id;
    alter table structure drop column aaf_id;
    alter table person drop column aaf_id;
  `.execute(db);
}
