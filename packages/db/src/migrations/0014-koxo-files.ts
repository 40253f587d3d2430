import { sql, type Kysely } from 'kysely';

/**
 * KoXo synchronisation files (packages/koxo): versioned snapshots per (target, establishment),
 * their files (one per primary group; content sealed by the targets' secret box because a file
 * that creates an account carries its initial password) and the accounts each target has
 * published once (so the initial password goes only in the file that creates the account).
 * A snapshot is `published`, `held` (shrank beyond the threshold: waits for approval, never
 * served), `discarded` (by an operator) or `superseded` (a newer one replaced it while held).
 * Independent of migrations 0009 to 0013.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table koxo_snapshot (
      id bigint generated always as identity primary key,
      target_id bigint not null references target (id) on delete cascade,
      uai text not null,
      version integer not null,
      status text not null check (status in ('published', 'held', 'discarded', 'superseded')),
      -- The last directory event (change_event.seq) the snapshot reflects.
      event_seq bigint not null,
      generated_at timestamptz not null,
      -- sha256 over the files' names and hashes: an unchanged regeneration makes no new version.
      digest text not null,
      hold_reason text,
      decided_at timestamptz,
      decided_by text,
      unique (target_id, uai, version)
    );
    create index koxo_snapshot_current on koxo_snapshot (target_id, uai, status, version desc);

    create table koxo_file (
      snapshot_id bigint not null references koxo_snapshot (id) on delete cascade,
      name text not null,
      primary_group text not null,
      rows integer not null,
      sha256 text not null,
      -- The unique ids (AAF jointures) the file lists, in file order.
      jointures text[] not null,
      content_key_id text not null,
      content_ciphertext bytea not null,
      primary key (snapshot_id, name)
    );

    create table koxo_account (
      target_id bigint not null references target (id) on delete cascade,
      jointure text not null,
      uai text not null,
      first_snapshot_id bigint not null references koxo_snapshot (id) on delete cascade,
      primary key (target_id, jointure, uai)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists koxo_account, koxo_file, koxo_snapshot;`.execute(db);
}
