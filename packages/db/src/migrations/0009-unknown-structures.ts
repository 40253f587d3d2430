import { sql, type Kysely } from 'kysely';

/**
 * AAF fidelity, continued. `person.unknown_structures`: structure jointures a person's record
 * names (class, group, teaching link, function, direction, attachment) that the directory does
 * not hold. Those links are not materialised (no class, membership or establishment of a phantom
 * school); the stored raw attributes are normalised again once the structure arrives.
 * `import_file.outcomes`: what became of each record of a file (created, updated, restored,
 * unchanged, rejected, departed) and its warnings by code, so that a file's records add up.
 * `import_run.tallies`: the report lines that belong to no establishment (persons of none;
 * structures, subjects and MEFs on lines of their own).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table person add column unknown_structures text[] not null default '{}';
    create index person_with_unknown_structures on person (jointure)
      where unknown_structures <> '{}';
    alter table import_file add column outcomes jsonb not null default '{}';
    alter table import_run add column tallies jsonb not null default '{}';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table import_run drop column tallies;
    alter table import_file drop column outcomes;
    drop index person_with_unknown_structures;
    alter table person drop column unknown_structures;
  `.execute(db);
}
