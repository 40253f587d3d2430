import { sql, type Kysely } from 'kysely';

/**
 * Who submitted an import and what it changed: `submitted_by` (`key:<id>`, `cli:<user>` or null
 * for the inbox), `submitter_uais` (the submitter's establishment scope; null = academy-wide) and
 * `uais_touched` (the UAIs of the establishments the import actually changed, approvals of held
 * plans included). A scoped API key reads back the imports whose submitter scope overlaps its
 * own, even when every record of its upload was refused as out of scope.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table import_run
      add column submitted_by text,
      add column submitter_uais text[],
      add column uais_touched text[] not null default '{}';
    create index import_run_submitter_uais on import_run using gin (submitter_uais);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists import_run_submitter_uais;
    alter table import_run
      drop column if exists uais_touched,
      drop column if exists submitter_uais,
      drop column if exists submitted_by;
  `.execute(db);
}
