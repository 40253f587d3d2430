import type { PersonCategory } from '@aaf-sync/aaf';
import { sql } from '@aaf-sync/db';
import type { DeliveryState } from './delivery-state.js';

export interface Coverage {
  /** Establishments the complete speaks for. */
  readonly structures: ReadonlySet<string>;
  /** Categories whose files were all read whole (absence means departure only for them). */
  readonly categories: ReadonlySet<PersonCategory>;
}

interface Candidate {
  id: number;
  jointure: string;
  version: number;
  primary_structure: string | null;
  structures: string[];
}

const PAGE = 5000;

/**
 * Complete files only: every active person of a covered category who belongs to a covered
 * establishment and is absent from the delivery leaves it; one left with no establishment
 * departs. Read page by page (keyset on jointure), compared with the in-memory seen set.
 */
export async function planDepartures(state: DeliveryState, coverage: Coverage): Promise<void> {
  const covered = [...coverage.structures];
  const categories = [...coverage.categories];
  if (covered.length === 0 || categories.length === 0) return;
  let after = '';
  for (;;) {
    const { rows } = await sql<Candidate>`
      select p.id, p.jointure, p.version, p.primary_structure,
        array_agg(ps.structure_jointure order by ps.structure_jointure) as structures
      from person p join person_structure ps on ps.person_jointure = p.jointure
      where p.state = 'active' and p.category = any(${categories}::text[]) and p.jointure > ${after}
        and exists (select 1 from person_structure x
                    where x.person_jointure = p.jointure and x.structure_jointure = any(${covered}::text[]))
      group by p.id order by p.jointure limit ${PAGE}`.execute(state.deps.db);
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.jointure;
    for (const p of rows) {
      if (state.seen.has(p.jointure)) continue;
      const leaving = p.structures.filter((s) => coverage.structures.has(s));
      const departs = leaving.length === p.structures.length;
      const unit =
        p.primary_structure && leaving.includes(p.primary_structure)
          ? p.primary_structure
          : leaving[0]!;
      for (const s of leaving) state.stats.add(s, departs ? 'departed' : 'left');
      await state.plans.add({
        entity: 'person',
        action: departs ? 'depart' : 'leave',
        key: p.jointure,
        unit,
        baseVersion: p.version,
        fileId: null,
        payload: { personId: p.id, structures: leaving, reason: 'absent' },
      });
    }
  }
}
