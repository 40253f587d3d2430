import { normalizeRecord, type AafEntity, type PersonCategory } from '@aaf-sync/aaf';
import { sql } from '@aaf-sync/db';
import { loadCurrentPersons } from './current-state.js';
import { mergeScratch, newFileScratch, type DeliveryState } from './delivery-state.js';
import { withKnownStructures } from './known-structures.js';
import type { Coverage } from './plan-departures.js';
import { planChange } from './plan-persons.js';
import { keyedInDelivery, personReferences } from './keyed-record.js';
import { aafIdOf } from './scope-keys.js';

const ENTITY_OF: Record<PersonCategory, AafEntity> = {
  pupil: 'Eleve',
  relative: 'PersRelEleve',
  staff: 'PersEducNat',
};

/**
 * Persons whose record named structures the directory did not hold, and of which at least one is
 * known now (declared by this delivery or an earlier one), while the delivery itself did not
 * carry them: their stored raw attributes are normalised again, so the links left out are
 * materialised now (classes, memberships, functions, establishments). Persons of the delivery
 * were already planned from their new record. Only the persons of the delivery's académie
 * scope (another's structures are unknown to them). Not for an establishment-scoped submitter (the
 * next academy-wide import does it). In a complete (`coverage`), a person it would find absent
 * (covered category, holding a covered establishment) leaves instead and is not planned here.
 * Returns how many persons were planned again.
 */
export async function replanPending(state: DeliveryState, coverage?: Coverage): Promise<number> {
  if (state.scope.scoped) return 0;
  const { rows } = await sql<{
    jointure: string;
    category: PersonCategory;
    unknown_structures: string[];
    structures: string[];
  }>`
    select p.jointure, p.category, p.unknown_structures,
      array(select ps.structure_jointure from person_structure ps
            where ps.person_jointure = p.jointure) as structures
    from person p
    where p.unknown_structures <> '{}' and p.state = 'active' and p.scope = ${state.fileScope}`.execute(
    state.deps.db,
  );
  const absent = (r: (typeof rows)[number]) =>
    coverage !== undefined &&
    coverage.categories.has(r.category) &&
    r.structures.some((s) => coverage.structures.has(s));
  const due = rows
    .filter(
      (r) =>
        !state.seen.has(r.jointure) &&
        !absent(r) &&
        r.unknown_structures.some((s) => state.structures.has(s)),
    )
    .map((r) => r.jointure);
  const size = state.deps.settings.batchSize;
  const scratch = new Map<AafEntity, ReturnType<typeof newFileScratch>>();
  for (let i = 0; i < due.length; i += size) {
    const current = await loadCurrentPersons(state.deps.db, due.slice(i, i + size));
    // The stored attributes hold AAF ids: read again under the person's id, then in keys.
    const read = [...current.values()].map((now) => {
      const { record } = normalizeRecord(
        ENTITY_OF[now.category],
        aafIdOf(now.jointure),
        now.attributes,
        {
          levelHint: now.columns.level,
        },
      );
      return { now, record: record?.kind === 'person' ? record : null };
    });
    const references = await state.personKeys.persons(
      read.flatMap((r) => (r.record ? personReferences(r.record) : [])),
    );
    for (const { now, record: aaf } of read) {
      if (!aaf) continue;
      const entity = ENTITY_OF[now.category];
      let file = scratch.get(entity);
      if (!file) scratch.set(entity, (file = newFileScratch(null, '(directory)', entity)));
      const record = keyedInDelivery(state, aaf, now.jointure, references);
      const known = withKnownStructures(record, (j) => state.structures.has(j));
      await planChange(
        state,
        file,
        // same attributes: the stored fingerprint still names them
        { id: now.jointure, rawHash: now.rawHash ?? undefined },
        known.record,
        now.attributes,
        now,
        known.record.primaryStructure ?? now.primaryStructure,
        { unknownStructures: known.unknown.map((u) => u.structure) },
      );
    }
  }
  // Counted in the establishments' totals, not as records of a file.
  for (const file of scratch.values()) mergeScratch(state, file);
  return due.length;
}
