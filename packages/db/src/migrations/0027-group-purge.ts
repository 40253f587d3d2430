import { sql, type Kysely } from 'kysely';

/**
 * The groups an empty-groups campaign deleted, to delete on each target (packages/targets
 * `purgeGroupsBatch`): one row per campaign item (`group:<class_group id>`) and target, with the
 * group's establishment, kind and code copied (the directory may forget the class later; the
 * target still holds it). Filled by the campaign run (scheduler process), worked by the targets
 * process through the driver's `purgeGroups`: `pending` (retried with backoff after a transient
 * error: `attempts`, `last_error`), then `deleted` (or already absent), `skipped` (kept: members
 * on the target again, or a kind that holds no groups; `reason`) or `failed` (refused too often).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table group_purge (
      campaign_id bigint not null references campaign (id) on delete cascade,
      target_id bigint not null references target (id) on delete cascade,
      subject text not null,
      uai text not null,
      kind text not null check (kind in ('class', 'group')),
      code text not null,
      status text not null default 'pending'
        check (status in ('pending', 'deleted', 'skipped', 'failed')),
      reason text,
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_error text,
      created_at timestamptz not null default now(),
      done_at timestamptz,
      primary key (campaign_id, target_id, subject)
    );
    create index group_purge_due on group_purge (target_id, next_attempt_at)
      where status = 'pending';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists group_purge`.execute(db);
}
