import { sql, type Kysely } from 'kysely';

/**
 * The legal codes that gave relatives their accounts (`RELATIVE_ACCOUNT_LEGAL_CODES`), as the
 * last apply used them: one row. When the setting changes, the next apply recomputes every active
 * relative (accounts lost or gained at once, like a change of their links), instead of leaving
 * the accounts of the old rule until each relative's links happen to change. No row yet: the
 * first apply recomputes them all once and records its codes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table relative_account_codes (
      singleton boolean primary key default true check (singleton),
      codes int[] not null,
      import_id bigint,
      updated_at timestamptz not null default now()
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table relative_account_codes`.execute(db);
}
