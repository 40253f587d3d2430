import { sql, type Kysely } from 'kysely';

/**
 * Rentrée access blocking as the calendar applied it (packages/account-lifecycle): one row per
 * (establishment, profile) blocked now, written by the `blocking.*` transitions and by a
 * principal's override (which takes effect at once). An account is blocked while EVERY
 * establishment it belongs to blocks its profile (an establishment that reopens gives its people
 * access). The SQL function `person_access_block(jointure, profile)` is that rule (one row when
 * blocked: since, until, why, the UAIs), read by the targets' `Account` view, the account status
 * and the blocking effects. Persons created during the window (the initialisation complete) are blocked from their
 * creation without a row of their own.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table access_block (
      uai text not null,
      profile text not null check (profile in ('pupil', 'relative', 'teacher', 'staff')),
      since timestamptz not null,
      until timestamptz not null,
      why text not null,
      rule text not null,
      source text not null check (source in ('calendar', 'establishment')),
      transition_id text,
      changed_at timestamptz not null default now(),
      primary key (uai, profile)
    );
    create function person_access_block(p_jointure text, p_profile text)
      returns table (since timestamptz, until timestamptz, why text, uais text[])
      language sql stable as $$
        select min(b.since), min(b.until), (array_agg(b.why order by b.until, b.uai))[1],
          array_agg(b.uai order by b.uai)
        from person_structure ps
        join structure s on s.jointure = ps.structure_jointure and s.uai is not null
        left join access_block b on b.uai = s.uai and b.profile = p_profile
        where ps.person_jointure = p_jointure and exists (select 1 from access_block)
        having count(*) > 0 and count(*) = count(b.uai)
      $$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop function if exists person_access_block(text, text);
    drop table if exists access_block;
  `.execute(db);
}
