import { sql, type Executor } from '@aaf-sync/db';

/**
 * The establishments (among the target's) whose files a batch touches: those the persons belong
 * to now (relatives through their children), plus those whose files already list them (a
 * departure or a move leaves the old establishment's file). A row without a jointure (a person
 * gone from the directory) cannot be placed: every establishment of the target is regenerated.
 */
export async function affectedEstablishments(
  db: Executor,
  targetId: number,
  targetUais: readonly string[],
  jointures: readonly (string | null)[],
): Promise<Map<string, Set<string>>> {
  const byJointure = new Map<string, Set<string>>();
  const known = jointures.filter((j): j is string => j !== null);
  if (known.length > 0) {
    const { rows } = await sql<{ jointure: string; uai: string }>`
      select ps.person_jointure as jointure, s.uai from person_structure ps
        join structure s on s.jointure = ps.structure_jointure
        where ps.person_jointure = any(${sql.val(known)}::text[]) and s.uai is not null
      union
      select rl.relative_jointure, s.uai from relative_link rl
        join person_structure ps on ps.person_jointure = rl.pupil_jointure
        join structure s on s.jointure = ps.structure_jointure
        where rl.relative_jointure = any(${sql.val(known)}::text[]) and s.uai is not null
      union
      select jointure, uai from koxo_account
        where target_id = ${targetId} and jointure = any(${sql.val(known)}::text[])
    `.execute(db);
    const served = new Set(targetUais);
    for (const r of rows) {
      if (!served.has(r.uai)) continue;
      const set = byJointure.get(r.jointure) ?? new Set<string>();
      set.add(r.uai);
      byJointure.set(r.jointure, set);
    }
  }
  if (jointures.some((j) => j === null)) byJointure.set('', new Set(targetUais));
  return byJointure;
}
