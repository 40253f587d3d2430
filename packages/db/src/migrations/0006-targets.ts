import { sql, type Kysely } from 'kysely';

/**
 * Targets platform: the systems that receive accounts (`target`, secrets encrypted by
 * packages/targets), each following the event log with its own cursor (`target_consumer`), and
 * the provisioning state, one row per (account, target). A statement trigger on `change_event`
 * notifies the dispatcher at each commit that wrote events (`LISTEN aaf_sync_change_event`).
 * Independent of migrations 0004 and 0005.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table target (
      id bigint generated always as identity primary key,
      name text not null unique check (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
      kind text not null check (kind in ('noop', 'scribe', 'koxo', 'ad', 'webhook')),
      -- UAIs of the establishments the target serves.
      uais text[] not null check (cardinality(uais) > 0),
      options jsonb not null default '{}',
      -- AES-256-GCM: iv (12) || tag (16) || ciphertext of the JSON secrets; null when none.
      secrets_key_id text,
      secrets_ciphertext bytea,
      state text not null default 'active' check (state in ('active', 'suspended')),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      created_by text not null,
      check ((secrets_key_id is null) = (secrets_ciphertext is null))
    );
    create index target_by_uai on target using gin (uais);

    -- The cursor of each target in the event log: every event with seq <= seq was dispatched.
    create table target_consumer (
      target_id bigint primary key references target (id) on delete cascade,
      seq bigint not null,
      dispatched_at timestamptz,
      reset_at timestamptz,
      reset_by text
    );

    -- Provisioning state: desired_version grows with each event about the account; the row is
    -- done when applied_version = desired_version.
    create table provisioning (
      target_id bigint not null references target (id) on delete cascade,
      person_id bigint not null,
      desired_version integer not null default 1,
      applied_version integer,
      status text not null default 'pending'
        check (status in ('pending', 'applied', 'failed', 'excluded')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_error text,
      -- The account's key on the target side (DN, login), once applied.
      target_key text,
      -- What the target holds: true = an entry for the account, false = nothing (or removed).
      present boolean not null default false,
      updated_at timestamptz not null default now(),
      primary key (target_id, person_id)
    );
    create index provisioning_due on provisioning (target_id, next_attempt_at)
      where status in ('pending', 'failed');

    create function aaf_notify_change_event() returns trigger language plpgsql as $$
    begin
      perform pg_notify('aaf_sync_change_event', '');
      return null;
    end $$;
    create trigger change_event_notify after insert on change_event
      for each statement execute function aaf_notify_change_event();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger if exists change_event_notify on change_event;
    drop function if exists aaf_notify_change_event();
    drop table if exists provisioning, target_consumer, target;
  `.execute(db);
}
