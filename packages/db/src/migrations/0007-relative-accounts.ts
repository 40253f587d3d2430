import { sql, type Kysely } from 'kysely';

/**
 * AAF fidelity. `person.has_account`: a relative holds an account (identifiers, establishments,
 * sent to targets) only while it is legally responsible for an active pupil; others are contacts
 * of their pupils, kept in the directory without an account. Pupils and staff always hold one.
 * Existing relatives are derived with the default codes (1, 2; a link without the flag counts).
 * `import_warning`: data-quality warnings of an import, per establishment, distinct from rejects
 * (the record was kept).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table person add column has_account boolean not null default true;
    update person p set has_account = exists (
      select 1 from relative_link rl join person pu on pu.jointure = rl.pupil_jointure
      where rl.relative_jointure = p.jointure and pu.state = 'active'
        and (rl.legal is null or rl.legal in (1, 2)))
    where p.category = 'relative';
    create index person_without_account on person (jointure) where not has_account;

    create table import_warning (
      id bigint generated always as identity primary key,
      import_id bigint not null references import_run (id) on delete cascade,
      structure_jointure text,
      uai text,
      code text not null,
      subject text not null,
      message text not null
    );
    create index import_warning_by_import on import_warning (import_id, uai);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table import_warning;
    drop index person_without_account;
    alter table person drop column has_account;
  `.execute(db);
}
