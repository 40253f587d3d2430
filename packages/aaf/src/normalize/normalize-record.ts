import { levelOnlyAttributes } from '../attribute-dictionary.js';
import type { AafEntity, Level, NormalizedRecord, NormalizeResult } from '../model.js';
import { FieldReader, recordReject } from './field-reader.js';
import { normalizeMef, normalizeSubject } from './normalize-nomenclature.js';
import { normalizePerson } from './normalize-person.js';
import { normalizeStructure } from './normalize-structure.js';

export interface NormalizeOptions {
  /** The delivery's level (from its archive name); null or absent: detected per record. */
  readonly levelHint?: Level | null;
}

const ONLY_1D = new Map<AafEntity, ReadonlySet<string>>();
const ONLY_2D = new Map<AafEntity, ReadonlySet<string>>();

/**
 * The level a record was written for, from its attribute names: 1D files use the `ENTPerson*`
 * names (ENTPersonNom, ENTPersonClasses…) and école attributes, 2D files the LDAP-style ones
 * (sn, givenName, street…). 2D when nothing tells (nomenclatures).
 */
export function detectLevel(
  entity: AafEntity,
  attributes: Readonly<Record<string, unknown>>,
): Level {
  let only1d = ONLY_1D.get(entity);
  let only2d = ONLY_2D.get(entity);
  if (only1d === undefined || only2d === undefined) {
    ONLY_1D.set(entity, (only1d = levelOnlyAttributes(entity, '1d')));
    ONLY_2D.set(entity, (only2d = levelOnlyAttributes(entity, '2d')));
  }
  let score = 0;
  for (const name of Object.keys(attributes)) {
    if (only1d.has(name)) score++;
    else if (only2d.has(name)) score--;
  }
  return score > 0 ? '1d' : '2d';
}

function build(
  entity: AafEntity,
  r: FieldReader,
  id: string,
  level: Level,
): NormalizedRecord | null {
  switch (entity) {
    case 'EtabEducNat':
      return normalizeStructure(r, level, id);
    case 'MatiereEducNat':
      return normalizeSubject(r, id);
    case 'MefEducNat':
      return normalizeMef(r, id);
    case 'Eleve':
      return normalizePerson(r, 'pupil', level, id);
    case 'PersRelEleve':
      return normalizePerson(r, 'relative', level, id);
    case 'PersEducNat':
      return normalizePerson(r, 'staff', level, id);
  }
}

/**
 * Turns a record's raw attributes (an add, or the merge of stored attributes and a modify) into
 * what the directory stores. Never throws on content: a record that cannot be used gives
 * `record: null` and a record reject; a bad value is dropped with a value reject and the
 * record is kept. Unknown attributes are ignored here (see unknownAttributes).
 *
 * @example
 * const { record, rejects } = normalizeRecord('Eleve', raw.id, raw.attributes, { levelHint: '2d' });
 */
export function normalizeRecord(
  entity: AafEntity,
  id: string,
  attributes: Readonly<Record<string, readonly string[]>>,
  options: NormalizeOptions = {},
): NormalizeResult {
  const r = new FieldReader(attributes);
  const jointure = id.trim();
  if (jointure === '') {
    return {
      record: null,
      rejects: [recordReject('MISSING_IDENTIFIER', 'empty id')],
      warnings: [],
    };
  }
  const level = options.levelHint ?? detectLevel(entity, attributes);
  const record = build(entity, r, jointure, level);
  return { record, rejects: r.rejects, warnings: record ? r.warnings : [] };
}
