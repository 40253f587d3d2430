import type { GroupRef, RelativeRef } from '../model.js';
import { aafBoolean, pushUnique, type FieldReader } from './field-reader.js';

/**
 * Classes or groups of a pupil: 2D `struct$code` (label = code) and 1D
 * `struct$?$?$id$label` (field 3 is the stable id, field 4 the label), deduplicated.
 */
export function pupilGroups(r: FieldReader, name2d: string, name1d: string): GroupRef[] {
  const out: GroupRef[] = [];
  const keys = new Set<string>();
  for (const [structure, code] of r.composite(name2d) as [string, string][]) {
    if (structure === '' || code === '') {
      r.valueReject('INVALID_VALUE', name2d, `${structure}$${code}`, 'empty structure or code');
      continue;
    }
    pushUnique(out, keys, `${structure}$${code}`, { structure, code, label: code });
  }
  for (const fields of r.composite(name1d)) {
    const [structure, , , id, label] = fields as [string, string, string, string, string];
    const code = id !== '' ? id : label;
    if (structure === '' || code === '') {
      r.valueReject('INVALID_VALUE', name1d, fields.join('$'), 'empty structure or class id');
      continue;
    }
    pushUnique(out, keys, `${structure}$${code}`, { structure, code, label: label || code });
  }
  return out;
}

function flag(value: string | undefined): boolean | null {
  return value === undefined || value === '' ? null : aafBoolean(value);
}

function legalOf(value: string | undefined): number | null {
  return value !== undefined && /^\d$/.test(value) ? Number(value) : null;
}

/**
 * How strong a link's legal code is: a legal representative (1), then a person in charge (2),
 * then anything else. A repeated relative keeps its strongest occurrence, so the account
 * follows whichever codes RELATIVE_ACCOUNT_LEGAL_CODES grants (`1` alone or `1,2`).
 */
function legalRank(ref: RelativeRef): number {
  return ref.legal === 1 ? 0 : ref.legal === 2 ? 1 : 2;
}

const LEGACY = [
  'ENTElevePersRelEleve1',
  'ENTElevePersRelEleve2',
  'ENTEleveParents',
  'ENTEleveMere',
  'ENTElevePere',
];

function bare(jointure: string, legal: number | null = null): RelativeRef {
  return { jointure, relationship: null, financial: null, legal, contact: null, payment: null };
}

/**
 * A pupil's relatives, from the first source that has any: 2D `ENTElevePersRelEleve`
 * (6 fields, all flags), then `ENTEleveAutoriteParentale` (1D `id$code`: parental authority,
 * so legal = 1; 2D legacy bare jointure: no flags), then the legacy 2D attributes (no flags).
 * Deduplicated by jointure, first occurrence wins.
 */
export function pupilRelatives(r: FieldReader): RelativeRef[] {
  const out: RelativeRef[] = [];
  const keys = new Set<string>();
  for (const f of r.composite('ENTElevePersRelEleve')) {
    const [jointure, relationship, financial, legal, contact, payment] = f;
    if (jointure === undefined || jointure === '') continue;
    const ref: RelativeRef = {
      jointure,
      relationship: relationship || null,
      financial: flag(financial),
      legal: legalOf(legal),
      contact: flag(contact),
      payment: flag(payment),
    };
    const at = out.findIndex((o) => o.jointure === jointure);
    if (at < 0) {
      pushUnique(out, keys, jointure, ref);
      continue;
    }
    // Repeated with other flags: warn; the most legal occurrence wins (1, then 2), else the
    // first one.
    const first = out[at]!;
    if (JSON.stringify(first) === JSON.stringify(ref)) continue;
    const wins = legalRank(ref) < legalRank(first);
    const kept = wins ? ref : first;
    r.warn(
      'RELATIVE_FLAGS_CONFLICT',
      'ENTElevePersRelEleve',
      f.join('$'),
      `relative ${jointure} repeated with conflicting flags (${
        legalRank(kept) < 2 ? `the legal one, code ${kept.legal},` : 'the first one'
      } is kept)`,
    );
    if (wins) out[at] = ref;
  }
  if (out.length > 0) return out;
  for (const [jointure, relationship] of r.composite('ENTEleveAutoriteParentale')) {
    if (jointure === undefined || jointure === '') continue;
    const ref = relationship === undefined ? bare(jointure) : bare(jointure, 1);
    pushUnique(out, keys, jointure, { ...ref, relationship: relationship || null });
  }
  if (out.length > 0) return out;
  for (const jointure of r.values(...LEGACY)) pushUnique(out, keys, jointure, bare(jointure));
  return out;
}
