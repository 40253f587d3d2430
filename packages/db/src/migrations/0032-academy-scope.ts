import { sql, type Kysely } from 'kysely';

/**
 * Académie scope. Jointures are unique within an académie only (the scope token of the file name,
 * `ENT_<scope>_Complet_…`; '-' for a file without one), and a regional deployment receives
 * several. Persons and structures record the scope of the files that feed them, so that a
 * complete of one scope departs and closes only its own rows, and a record whose jointure another
 * scope holds is rejected instead of merged (`JOINTURE_SCOPE_CONFLICT`).
 *
 * Existing rows get the scope of the import that created them (their `created` event), else
 * that of the import that last changed them (events older than the retention are purged), else
 * '-'. The jointure stays unique on its own: identity by `(scope, jointure)` is the next step.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table person add column scope text not null default '-';
    alter table structure add column scope text not null default '-';

    update person p set scope = r.scope
    from import_run r
    where r.id = coalesce(
      (select e.import_id from change_event e
       where e.entity_type = 'person' and e.entity_key = p.jointure and e.op = 'created'
         and e.import_id is not null
       order by e.seq limit 1),
      p.last_import_id);

    update structure s set scope = r.scope
    from import_run r
    where r.id = coalesce(
      (select e.import_id from change_event e
       where e.entity_type = 'structure' and e.entity_key = s.jointure and e.op = 'created'
         and e.import_id is not null
       order by e.seq limit 1),
      s.last_import_id);

    create index person_active_by_scope on person (scope, category, jointure) where state = 'active';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index person_active_by_scope;
    alter table structure drop column scope;
    alter table person drop column scope;
  `.execute(db);
}
