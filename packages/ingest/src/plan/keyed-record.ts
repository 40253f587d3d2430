import type { PersonRecord, StructureRecord } from '@aaf-sync/aaf';
import type { DeliveryState } from './delivery-state.js';
import type { KeyOf } from './scope-keys.js';

/**
 * A person record of the delivery's scope in directory keys: `keyedPersonRecord` with the
 * delivery's structure keys, `key` for the record itself and `references` for the persons it
 * names; the record as read when every key of the directory is its id (a single-scope
 * deployment: nothing to map).
 */
export function keyedInDelivery(
  state: DeliveryState,
  record: PersonRecord,
  key: string,
  references: KeyOf,
): PersonRecord {
  if (state.personKeys.plain && state.structures.plainKeys) return record;
  return keyedPersonRecord(
    record,
    (id) => (id === record.jointure ? key : references(id)),
    (id) => state.structures.keyOf(id),
  );
}

/** The person ids a person record refers to (a pupil's relatives, a relative's pupils). */
export function personReferences(record: PersonRecord): string[] {
  return [...record.relatives.map((r) => r.jointure), ...record.pupils];
}

/**
 * A normalised person record in directory keys (see scope-keys.ts): its own id and every
 * person and structure it names, mapped within the delivery's scope. The one place where AAF ids
 * become keys; what the record holds otherwise (details, codes) is left as read.
 */
export function keyedPersonRecord(
  record: PersonRecord,
  person: KeyOf,
  structure: KeyOf,
): PersonRecord {
  return {
    ...record,
    jointure: person(record.jointure),
    structures: record.structures.map(structure),
    primaryStructure: record.primaryStructure === null ? null : structure(record.primaryStructure),
    classes: record.classes.map((c) => ({ ...c, structure: structure(c.structure) })),
    groups: record.groups.map((g) => ({ ...g, structure: structure(g.structure) })),
    relatives: record.relatives.map((r) => ({ ...r, jointure: person(r.jointure) })),
    pupils: record.pupils.map(person),
    functions: record.functions.map((f) => ({ ...f, structure: structure(f.structure) })),
    direction: record.direction.map(structure),
    teaching: record.teaching.map((x) => ({ ...x, structure: structure(x.structure) })),
    headTeacher: record.headTeacher.map((h) => ({ ...h, structure: structure(h.structure) })),
  };
}

/** A structure record under its directory key. */
export function keyedStructureRecord(record: StructureRecord, structure: KeyOf): StructureRecord {
  return { ...record, jointure: structure(record.jointure) };
}
