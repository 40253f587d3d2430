import { sql, type Kysely } from 'kysely';

/**
 * The pupils an import last wrote, found by index: the warnings recorded after every apply
 * (`recordIneConflicts`, `recordOrphanedRelatives` in packages/ingest) select the pupils of
 * `last_import_id = <the import>`, which was a sequential scan of the whole directory (0.4 s
 * each at 300,000 persons, for a delta of 1,000 changes). Partial: only pupils are asked for.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index person_pupils_by_last_import on person (last_import_id) where category = 'pupil'
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index person_pupils_by_last_import`.execute(db);
}
