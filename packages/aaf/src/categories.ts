import type { AafEntity } from './model.js';

/** The operational category attribute and the values accepted for each file entity. */
const CATEGORIES: Readonly<Record<AafEntity, { attribute: string; values: readonly string[] }>> = {
  EtabEducNat: { attribute: 'categorieStructure', values: ['EtabEducNat'] },
  // The ministry writes MatEducNat; some generators write Matiere or the file token.
  MatiereEducNat: {
    attribute: 'categorieMatiere',
    values: ['MatEducNat', 'MatiereEducNat', 'Matiere'],
  },
  MefEducNat: { attribute: 'categorieMef', values: ['MefEducNat', 'Mef'] },
  Eleve: { attribute: 'categoriePersonne', values: ['Eleve'] },
  PersRelEleve: { attribute: 'categoriePersonne', values: ['PersRelEleve'] },
  PersEducNat: { attribute: 'categoriePersonne', values: ['PersEducNat'] },
};

/**
 * Why a request's category does not fit the file's entity, or null when it fits. A request
 * without operational attributes is accepted (the category is informative; the file name
 * already says what the records are).
 */
export function categoryProblem(
  entity: AafEntity | undefined,
  attribute: string | null,
  value: string | null,
): string | null {
  if (entity === undefined) return null;
  const expected = CATEGORIES[entity];
  if (attribute !== null && attribute !== expected.attribute) {
    return `operational attribute ${attribute} in a ${entity} file (expected ${expected.attribute})`;
  }
  if (value !== null && !expected.values.includes(value.trim())) {
    return `category ${value} in a ${entity} file (expected ${expected.values.join(' or ')})`;
  }
  return null;
}
