import { sql, type Kysely } from 'kysely';

/**
 * POSIX numbers of LDAP targets (Scribe): `uidNumber` of each account, `gidNumber` of each group,
 * allocated once per target and never reused — a number stays with its owner (a person id, or
 * `<uai>$<group cn>`) even after the owner leaves, like logins. `posix_counter` holds the next
 * free number per target and kind.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table posix_id (
      target_id bigint not null references target (id) on delete cascade,
      kind text not null check (kind in ('user', 'group')),
      owner text not null,
      number integer not null,
      allocated_at timestamptz not null default now(),
      primary key (target_id, kind, owner),
      unique (target_id, kind, number)
    );
    create table posix_counter (
      target_id bigint not null references target (id) on delete cascade,
      kind text not null check (kind in ('user', 'group')),
      next integer not null,
      primary key (target_id, kind)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table posix_counter, posix_id`.execute(db);
}
