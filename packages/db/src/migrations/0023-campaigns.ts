import { sql, type Kysely } from 'kysely';

/**
 * Year-end deletion campaigns (packages/account-lifecycle): a campaign per calendar campaign and
 * school year, its items (who or which group, on which target, in which establishment, with a
 * status each: the run is resumable and idempotent), the establishments' approvals of a
 * departed-staff list, and on provisioning the `purge` mark: the target should delete what it
 * holds for the account (not merely disable it) — set only by a campaign, cleared when the account
 * is provisioned again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table campaign (
      id bigserial primary key,
      school_year text not null,
      name text not null,
      kind text not null check (kind in ('departed-pupils', 'empty-groups', 'departed-staff')),
      target_kind text not null,
      target_name text,
      approval text not null check (approval in ('none', 'establishment')),
      preview_at timestamptz not null,
      run_at timestamptz not null,
      state text not null default 'previewed' check (state in ('previewed', 'running', 'done')),
      previewed_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      unique (school_year, name)
    );
    create table campaign_item (
      campaign_id bigint not null references campaign (id) on delete cascade,
      target_id bigint not null references target (id) on delete cascade,
      subject text not null,
      person_id bigint references person (id),
      class_group_id bigint references class_group (id) on delete cascade,
      uai text,
      label text not null,
      target_key text,
      status text not null default 'planned'
        check (status in ('planned', 'deleted', 'skipped')),
      reason text,
      done_at timestamptz,
      primary key (campaign_id, target_id, subject),
      check ((person_id is null) <> (class_group_id is null))
    );
    create index campaign_item_planned on campaign_item (campaign_id, uai) where status = 'planned';
    create table campaign_approval (
      campaign_id bigint not null references campaign (id) on delete cascade,
      uai text not null,
      approved_by text not null,
      approved_at timestamptz not null default now(),
      items integer not null,
      primary key (campaign_id, uai)
    );
    alter table provisioning add column purge boolean not null default false;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table provisioning drop column if exists purge;
    drop table if exists campaign_approval;
    drop table if exists campaign_item;
    drop table if exists campaign;
  `.execute(db);
}
