import { sql, type Kysely } from 'kysely';

/**
 * Identifier history: a `version` per identifier row (1 when created, +1 on each status change:
 * alias promoted to primary, primary or alias retired), so the `identifier` change events carry
 * a monotonic version per `<namespace>:<value>` key like every other entity of the feed.
 * Counters never go below zero.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table identifier add column version integer not null default 1;
    alter table identifier_counter
      add constraint identifier_counter_allocated_check check (allocated >= 0);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table identifier_counter drop constraint if exists identifier_counter_allocated_check;
    alter table identifier drop column if exists version;
  `.execute(db);
}
