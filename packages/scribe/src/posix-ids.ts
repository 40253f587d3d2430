import { sql, type Database, type Kysely, type PosixKind } from '@aaf-sync/db';

/**
 * POSIX numbers of a target (`uidNumber` of persons, `gidNumber` of groups), allocated once per
 * owner and never reused (migration 0011-posix-ids): owners already numbered keep their number;
 * the others get the next ones of the target's counter (starting at `start`). Concurrent
 * allocations of the same owner agree (the loser's number is skipped, never handed out again).
 */
export async function allocatePosixIds(
  db: Kysely<Database>,
  targetId: number,
  kind: PosixKind,
  owners: readonly string[],
  start: number,
): Promise<Map<string, number>> {
  const wanted = [...new Set(owners)];
  if (wanted.length === 0) return new Map();
  const read = async () => {
    const { rows } = await sql<{ owner: string; number: number }>`
      select owner, number from posix_id
      where target_id = ${targetId} and kind = ${kind} and owner = any(${sql.val(wanted)}::text[])
    `.execute(db);
    return new Map(rows.map((r) => [r.owner, Number(r.number)]));
  };
  const known = await read();
  const missing = wanted.filter((o) => !known.has(o));
  if (missing.length === 0) return known;
  await db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ first: number }>`
      insert into posix_counter as c (target_id, kind, next)
      values (${targetId}, ${kind}, ${start + missing.length})
      on conflict (target_id, kind) do update set next = c.next + ${missing.length}
      returning next - ${missing.length} as first
    `.execute(trx);
    const first = Number(rows[0]!.first);
    await sql`
      insert into posix_id (target_id, kind, owner, number)
      select ${targetId}, ${kind}, o.owner, ${first} + o.n - 1
      from unnest(${sql.val(missing)}::text[]) with ordinality as o(owner, n)
      on conflict (target_id, kind, owner) do nothing
    `.execute(trx);
  });
  return read();
}
