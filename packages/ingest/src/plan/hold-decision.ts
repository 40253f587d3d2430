import { sql, type Executor } from '@aaf-sync/db';
import { joinPerson, personAccessFor, runFor } from '@aaf-sync/directory';
import type { IngestSettings } from '../settings.js';
import type { EstablishmentStats } from './establishment-stats.js';

/** Active persons per establishment, before the import (reading only these establishments'). */
export async function activeCounts(
  db: Executor,
  structures: readonly string[],
): Promise<Map<string, number>> {
  if (structures.length === 0) return new Map();
  const access = await personAccessFor(db, structures);
  const active = joinPerson(access, 'p', 'ps.person_jointure', sql`p.state = 'active'`, [
    'jointure',
  ]);
  const { rows } = await runFor(access, db, (db) =>
    sql<{ structure_jointure: string; n: number }>`
    select ps.structure_jointure, count(*)::int as n
    from person_structure ps ${active}
    where ps.structure_jointure = any(${[...structures]}::text[])
    group by ps.structure_jointure`.execute(db),
  );
  return new Map(rows.map((r) => [r.structure_jointure, r.n]));
}

/**
 * The safety hold: an establishment whose plan would depart (or detach) more than the threshold
 * share of its active persons — a truncated file, a wrong scope — is held for approval; the
 * other establishments go through. Tiny numbers never trigger it (`holdMinDepartures`).
 */
export function decideHolds(
  stats: EstablishmentStats,
  active: ReadonlyMap<string, number>,
  settings: Pick<IngestSettings, 'holdThresholdPercent' | 'holdMinDepartures'>,
): Set<string> {
  const held = new Set<string>();
  for (const structure of stats.structures()) {
    const departures = stats.departures(structure);
    const before = active.get(structure) ?? 0;
    if (departures < settings.holdMinDepartures || before === 0) continue;
    if (departures * 100 > settings.holdThresholdPercent * before) held.add(structure);
  }
  return held;
}
