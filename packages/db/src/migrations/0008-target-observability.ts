import { sql, type Kysely } from 'kysely';

/**
 * Observability of targets: when each provisioning row was last applied, the last batch of each
 * target's worker (duration, size, end; the worker runs in the targets process, the API reads
 * them for /metrics and the status route), and an index to find an account's rows on every
 * target (account status `provisioning` section). Independent of migration 0007.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table provisioning add column applied_at timestamptz;
    alter table target_consumer
      add column batch_at timestamptz,
      add column batch_seconds double precision,
      add column batch_size integer,
      add column applied_at timestamptz;
    create index provisioning_by_person on provisioning (person_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists provisioning_by_person;
    alter table target_consumer drop column if exists batch_at, drop column if exists batch_seconds,
      drop column if exists batch_size, drop column if exists applied_at;
    alter table provisioning drop column if exists applied_at;
  `.execute(db);
}
