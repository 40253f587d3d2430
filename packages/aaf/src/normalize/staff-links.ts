import type { FunctionRef, Profile, TeachingRef } from '../model.js';
import { aafBoolean, pushUnique, type FieldReader } from './field-reader.js';

/** `-` stands for "no value" in functions and disciplines (`…$-$SANS OBJET$-$SANS OBJET`). */
const PLACEHOLDER = '-';

export interface StaffFunctions {
  readonly functions: FunctionRef[];
  /** Structures named by ENTPersonFonctions, placeholders included, in order. */
  readonly structures: string[];
}

/** Functions (ENTPersonFonctions, 5 fields); code `-` is a placeholder: no function. */
export function staffFunctions(r: FieldReader): StaffFunctions {
  const functions: FunctionRef[] = [];
  const structures: string[] = [];
  const keys = new Set<string>();
  for (const [structure, code, label, discCode, discLabel] of r.composite('ENTPersonFonctions') as [
    string,
    string,
    string,
    string,
    string,
  ][]) {
    if (structure === '') continue;
    if (!structures.includes(structure)) structures.push(structure);
    if (code === '' || code === PLACEHOLDER) continue;
    const noDiscipline = discCode === PLACEHOLDER || discCode === '';
    pushUnique(functions, keys, `${structure}$${code}$${discCode}`, {
      structure,
      code,
      label,
      disciplineCode: noDiscipline ? '' : discCode,
      disciplineLabel: noDiscipline ? '' : discLabel,
    });
  }
  return { functions, structures };
}

/**
 * Teaching links: `…ClassesMatieres`/`…GroupesMatieres` (with the subject), then the plain
 * `ENTAuxEnsClasses`/`ENTAuxEnsGroupes` (subject '') for classes or groups that no subject link
 * names already. Deduplicated.
 */
export function staffTeaching(r: FieldReader): TeachingRef[] {
  const out: TeachingRef[] = [];
  const keys = new Set<string>();
  const withSubject = new Set<string>();
  const sources = [
    ['ENTAuxEnsClassesMatieres', 'class'],
    ['ENTAuxEnsGroupesMatieres', 'group'],
    ['ENTAuxEnsClasses', 'class'],
    ['ENTAuxEnsGroupes', 'group'],
  ] as const;
  for (const [name, kind] of sources) {
    for (const [structure, code, subject = ''] of r.composite(name) as [
      string,
      string,
      string?,
    ][]) {
      if (structure === '' || code === '') continue;
      const target = `${kind}$${structure}$${code}`;
      if (subject === '' && withSubject.has(target)) continue;
      if (subject !== '') withSubject.add(target);
      pushUnique(out, keys, `${target}$${subject}`, { structure, kind, code, subject });
    }
  }
  return out;
}

/** Head-teacher classes (ENTAuxEnsClassesPrincipal `struct$class`), deduplicated. */
export function staffHeadTeacher(r: FieldReader): { structure: string; code: string }[] {
  const out: { structure: string; code: string }[] = [];
  const keys = new Set<string>();
  for (const [structure, code] of r.composite('ENTAuxEnsClassesPrincipal') as [string, string][]) {
    if (structure !== '' && code !== '') {
      pushUnique(out, keys, `${structure}$${code}`, { structure, code });
    }
  }
  return out;
}

/**
 * Teacher or other staff: ENTPersonCategorieEnseignant when present and non-empty (O → teacher,
 * N → staff), else PersEducNatPresenceDevantEleves = O → teacher, else any function ENS or DOC
 * → teacher, else staff (the ENT NG 2D rule; it also covers the 1D one).
 */
export function staffProfile(r: FieldReader, functions: readonly FunctionRef[]): Profile {
  const category = r.bool('ENTPersonCategorieEnseignant');
  if (category !== null) return category ? 'teacher' : 'staff';
  const presence = r.one('PersEducNatPresenceDevantEleves');
  if (presence !== null && aafBoolean(presence) === true) return 'teacher';
  return functions.some((f) => f.code === 'ENS' || f.code === 'DOC') ? 'teacher' : 'staff';
}
