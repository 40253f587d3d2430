import type { Level, RawRecord } from '@aaf-sync/aaf';
import { sql } from '@aaf-sync/db';
import { loadCurrentPersons, type CurrentPerson } from './current-state.js';
import type { DeliveryState, FileScratch } from './delivery-state.js';

/** A new pupil jointure that is a known pupil found again by its INE. */
export interface IneMatch {
  /** The known pupil (its current row and links, under its old jointure). */
  readonly current: CurrentPerson;
  readonly ine: string;
}

/** The INE a raw pupil record sends (as the normalizer reads it: first non-empty, upper case). */
function ineOf(raw: RawRecord): string | null {
  for (const v of raw.attributes.ENTEleveINE ?? []) {
    const ine = v.trim().toUpperCase();
    if (ine !== '') return ine;
  }
  return null;
}

/**
 * New pupil jointures (addRequests unknown to the directory) whose INE belongs to exactly one
 * known pupil under another jointure: the same person (1D → 2D at the collège, a move between
 * académies), to be updated (or restored) under the new jointure, identifiers and history kept.
 * Not when the known pupil is itself in this delivery (two records with one INE: a conflict,
 * reported after the apply), when the new jointure is already an alias of it (the old school
 * still lists it: a second person, and a conflict), when another record of the delivery already
 * took it, or for an establishment-scoped submitter (the pupil may be another establishment's).
 * Nor backwards: a 1D record never takes an active 2D pupil (an école's file still listing last
 * year's CM2 pupil, read after the collège's: the pupil stays at the collège, and the second
 * record is a conflict). `levelOf` gives the level each new record is read at.
 */
export async function matchByIne(
  state: DeliveryState,
  file: FileScratch,
  records: readonly RawRecord[],
  levelOf: (jointure: string) => Level | null = () => null,
): Promise<Map<string, IneMatch>> {
  if (file.entity !== 'Eleve' || state.scope.scoped || state.noPersons) return new Map();
  const wanted = new Map<string, string>();
  for (const raw of records) {
    const ine = raw.op === 'add' ? ineOf(raw) : null;
    if (ine) wanted.set(raw.id, ine);
  }
  if (wanted.size === 0) return new Map();
  const { rows } = await sql<{
    jointure: string;
    ine: string;
    level: Level;
    state: string;
    aliases: string[];
  }>`
    select p.jointure, p.ine, p.level, p.state,
      array(select a.jointure from person_alias a where a.person_id = p.id) as aliases
    from person p
    where p.category = 'pupil' and p.ine = any(${[...new Set(wanted.values())]}::text[])`.execute(
    state.deps.db,
  );
  const byIne = new Map<string, typeof rows>();
  for (const r of rows) byIne.set(r.ine, [...(byIne.get(r.ine) ?? []), r]);
  const taken = new Set(state.ineMerges.keys());
  const pairs = new Map<string, string>();
  for (const [jointure, ine] of wanted) {
    const others = (byIne.get(ine) ?? []).filter((r) => r.jointure !== jointure);
    if (others.length !== 1) continue;
    const known = others[0]!;
    if (known.aliases.includes(jointure)) continue;
    if (known.state === 'active' && known.level === '2d' && levelOf(jointure) === '1d') continue;
    if (state.seen.has(known.jointure) || file.seen.has(known.jointure)) continue;
    if (taken.has(known.jointure)) continue;
    taken.add(known.jointure);
    pairs.set(jointure, known.jointure);
  }
  const current = await loadCurrentPersons(state.deps.db, [...pairs.values()]);
  const out = new Map<string, IneMatch>();
  for (const [jointure, old] of pairs) {
    const c = current.get(old);
    if (c) out.set(jointure, { current: c, ine: wanted.get(jointure)! });
  }
  return out;
}
