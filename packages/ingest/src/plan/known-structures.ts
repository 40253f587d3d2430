import type { PersonRecord, Warning } from '@aaf-sync/aaf';

/** A structure the record names but the directory does not hold, and what names it. */
export interface UnknownStructure {
  readonly structure: string;
  /** `class 5A`, `group 5LAT`, `teaching class 5A`, `head teacher 5A`, `function DIR`… */
  readonly references: readonly string[];
}

export interface KnownLinks {
  /** The record with every link to an unknown structure left out. */
  readonly record: PersonRecord;
  /** Unknown structures named by the record, in the order first named. */
  readonly unknown: readonly UnknownStructure[];
}

/**
 * Keeps only what a person record links to structures the directory holds (or that this
 * delivery declares). A link to an absent structure is never materialised: no class or group of
 * a phantom school, no membership, no establishment; the raw attributes, stored as received,
 * are normalised again once the structure arrives (see replan-pending.ts). The primary
 * structure becomes the first known one. Relatives name no structure: unchanged.
 */
export function withKnownStructures(
  record: PersonRecord,
  isKnown: (jointure: string) => boolean,
): KnownLinks {
  if (record.category === 'relative') return { record, unknown: [] };
  const unknown = new Map<string, string[]>();
  const note = (structure: string, what: string) => {
    if (isKnown(structure)) return true;
    let list = unknown.get(structure);
    if (!list) unknown.set(structure, (list = []));
    if (!list.includes(what)) list.push(what);
    return false;
  };
  const classes = record.classes.filter((c) => note(c.structure, `class ${c.code}`));
  const groups = record.groups.filter((g) => note(g.structure, `group ${g.code}`));
  const teaching = record.teaching.filter((t) => note(t.structure, `teaching ${t.kind} ${t.code}`));
  const headTeacher = record.headTeacher.filter((h) => note(h.structure, `head teacher ${h.code}`));
  const functions = record.functions.filter((f) => note(f.structure, `function ${f.code}`));
  const direction = record.direction.filter((d) => note(d, 'direction'));
  const structures = record.structures.filter((s) =>
    note(s, s === record.primaryStructure ? 'attachment' : 'establishment'),
  );
  if (unknown.size === 0) return { record, unknown: [] };
  const primary =
    record.primaryStructure !== null && isKnown(record.primaryStructure)
      ? record.primaryStructure
      : (structures[0] ?? null);
  return {
    record: {
      ...record,
      classes,
      groups,
      teaching,
      headTeacher,
      functions,
      direction,
      structures,
      primaryStructure: primary,
    },
    unknown: [...unknown].map(([structure, references]) => ({ structure, references })),
  };
}

/** One UNKNOWN_STRUCTURE warning per unknown structure a record names. */
export function unknownStructureWarnings(
  id: string,
  unknown: readonly UnknownStructure[],
): Warning[] {
  return unknown.map((u) => ({
    code: 'UNKNOWN_STRUCTURE',
    message:
      `${id} names structure ${u.structure}, absent from the directory (${u.references.join(', ')}):` +
      ' not materialised until the structure arrives',
  }));
}
