import type { PersonCategory } from '@aaf-sync/aaf';
import { sql, type Executor } from '@aaf-sync/db';
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
  category: PersonCategory;
  version: number;
  primary_structure: string | null;
  has_account: boolean;
  /** Its establishments; for a contact (no account), those of the pupils it is linked to. */
  structures: string[];
}

const PAGE = 5000;

/**
 * Complete files only: every active person of a covered category who belongs to a covered
 * establishment and is absent from the delivery leaves it; one left with no establishment
 * departs. A relative without an account (a contact) belongs to its pupils' establishments here. Read through a cursor, page by page, compared with the in-memory seen set.
 * Only the persons of the delivery's académie scope: a complete never departs another's.
 */
export async function planDepartures(state: DeliveryState, coverage: Coverage): Promise<void> {
  const covered = [...coverage.structures];
  const categories = [...coverage.categories];
  if (covered.length === 0 || categories.length === 0) return;
  // One server-side cursor over the active persons' jointures only, read page by page (keyset
  // pages each cost a pass over the rest of the table); the establishments of a person are
  // looked up only for those absent from the delivery, a page at a time.
  await state.deps.db.transaction().execute(async (trx) => {
    await sql`
      declare departure_candidates no scroll cursor for
      select p.jointure from person p
      where p.state = 'active' and p.category = any(${categories}::text[])
        and p.scope = ${state.fileScope}
      order by p.jointure`.execute(trx);
    for (;;) {
      const { rows } = await sql<{
        jointure: string;
      }>`fetch ${sql.raw(String(PAGE))} from departure_candidates`.execute(trx);
      if (rows.length === 0) return;
      const absent = rows.map((r) => r.jointure).filter((j) => !state.seen.has(j));
      if (absent.length > 0)
        await planPage(state, coverage, await candidates(trx, absent, covered, state.fileScope));
    }
  });
}

/** Those of the absent persons who belong to a covered establishment, with their establishments. */
async function candidates(
  db: Executor,
  absent: readonly string[],
  covered: readonly string[],
  scope: string,
): Promise<Candidate[]> {
  const { rows } = await sql<Candidate>`
    select p.id, p.jointure, p.category, p.version, p.primary_structure, p.has_account,
      case when p.has_account then
        array(select ps.structure_jointure from person_structure ps
              where ps.person_jointure = p.jointure order by 1)
      else
        array(select distinct x.structure_jointure from relative_link rl
              join person_structure x on x.person_jointure = rl.pupil_jointure
              where rl.relative_jointure = p.jointure order by 1)
      end as structures
    from person p
    where p.jointure = any(${[...absent]}::text[]) and p.scope = ${scope}
      and (exists (select 1 from person_structure x
                   where x.person_jointure = p.jointure and x.structure_jointure = any(${[...covered]}::text[]))
        or (not p.has_account and exists (select 1 from relative_link rl
              join person_structure x on x.person_jointure = rl.pupil_jointure
              where rl.relative_jointure = p.jointure and x.structure_jointure = any(${[...covered]}::text[]))))
    order by p.jointure`.execute(db);
  return rows;
}

async function planPage(
  state: DeliveryState,
  coverage: Coverage,
  rows: readonly Candidate[],
): Promise<void> {
  for (const p of rows) {
    if (state.seen.has(p.jointure)) continue;
    const leaving = p.structures.filter((s) => coverage.structures.has(s));
    const departs = leaving.length === p.structures.length;
    // A contact holds no establishment: it departs once all its pupils' are covered, never leaves.
    if (!p.has_account && !departs) continue;
    const unit =
      p.primary_structure && leaving.includes(p.primary_structure)
        ? p.primary_structure
        : leaving[0]!;
    for (const s of leaving) state.stats.add(s, departs ? 'departed' : 'left', 1, p.category);
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
