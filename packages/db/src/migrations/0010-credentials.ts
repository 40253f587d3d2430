import { sql, type Kysely } from 'kysely';

/**
 * Initial passwords (packages/credentials): one row per (target, person), the last password
 * issued for that account on that target. The clear password is kept only until it is retrieved
 * (credential sheet) or the year-end purge, and only sealed with the targets' secret box
 * (AES-256-GCM, the row's target and person bound as additional data); the target itself stores
 * a hash. `state`: pending (issued, not yet on the target) → set (the driver set it) → retrieved
 * (sheet taken, clear copy kept because purge on retrieval is off) → purged (clear copy gone).
 * Independent of migrations 0008 and 0009.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table credential (
      target_id bigint not null references target (id) on delete cascade,
      person_id bigint not null references person (id) on delete cascade,
      -- The login the password belongs to (the account's identifier on the target).
      login text not null,
      reason text not null check (reason in ('initial', 'reset')),
      state text not null default 'pending'
        check (state in ('pending', 'set', 'retrieved', 'purged')),
      -- AES-256-GCM: iv (12) || tag (16) || ciphertext; null once purged.
      key_id text,
      ciphertext bytea,
      created_at timestamptz not null default now(),
      created_by text not null,
      set_at timestamptz,
      retrieved_at timestamptz,
      retrieved_by text,
      purged_at timestamptz,
      primary key (target_id, person_id),
      check ((key_id is null) = (ciphertext is null)),
      check ((state = 'purged') = (ciphertext is null))
    );
    create index credential_by_state on credential (target_id, state);
    create index credential_by_person on credential (person_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists credential`.execute(db);
}
