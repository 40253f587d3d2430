import { sql, type Kysely } from 'kysely';

/**
 * What the API needs besides the directory: API keys (hashed secrets, scopes, establishment
 * scope), the audit log of every write, and the change-feed purge watermark (so that a cursor
 * below it is answered 410 exactly). Also indexes to find a person's link events and an account
 * by any of its identifiers.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- A key is shown once as aafk_<id>_<secret>; only the sha256 of the secret is stored.
    create table api_key (
      id text primary key check (id ~ '^[a-z0-9]{8,32}$'),
      name text not null,
      scopes text[] not null,
      -- null: every establishment; otherwise the key sees and acts on these UAIs only.
      uais text[],
      secret_sha256 bytea not null,
      created_at timestamptz not null default now(),
      created_by text not null,
      last_used_at timestamptz,
      revoked_at timestamptz,
      revoked_by text
    );

    -- One row per write (API request or operator command), whatever its outcome.
    create table audit_log (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null default now(),
      actor text not null,
      key_id text,
      request_id text,
      action text not null,
      method text,
      path text,
      status integer,
      uais text[] not null default '{}',
      details jsonb not null default '{}'
    );
    create index audit_log_recent on audit_log (occurred_at desc);
    create index audit_log_by_key on audit_log (key_id, occurred_at desc) where key_id is not null;

    -- Purges of the event log. The watermark is max(through_seq): every event with seq <= it is
    -- gone (or about to be), so a feed cursor below it cannot be followed without a gap.
    create table change_event_purge (
      id bigint generated always as identity primary key,
      purged_at timestamptz not null default now(),
      through_seq bigint not null,
      older_than timestamptz not null,
      deleted bigint,
      actor text not null
    );
    create index change_event_purge_watermark on change_event_purge (through_seq desc);

    -- A person's history: the parts of link keys (membership, relative_link, teaching_link…
    -- join their parts with '|', one of which is the person's jointure).
    create index change_event_by_key_part on change_event
      using gin (string_to_array(entity_key, '|'));

    -- Account look-up by an identifier value in any namespace (the unique index leads with the
    -- namespace).
    create index identifier_by_value on identifier (value);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists identifier_by_value;
    drop index if exists change_event_by_key_part;
    drop table if exists change_event_purge, audit_log, api_key;
  `.execute(db);
}
