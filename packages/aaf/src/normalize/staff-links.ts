import type { FunctionRef, Level, Profile, TeachingRef } from '../model.js';
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
 * Direction labels (5th field of ENTPersonFonctions) that put a person in the direction of the
 * function's structure whatever the function code: what the 1D files carry for a school head
 * (ENT NG's list; `&apos;` compared as an apostrophe).
 */
export const DIRECTION_LABELS: ReadonlySet<string> = new Set([
  'DIRECTION',
  "DIRECTION CHEF D'ETABLISSEMENT",
  'DIRECTION ADJOINT AU CHEF ETABLISSEMENT',
  "CHEF D'ETABLISSEMENT ADJOINT",
]);

const label = (s: string) =>
  s
    .replace(/&apos;/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase();

/**
 * The structures where the person belongs to the direction: ENTEnsFonctionDir, and every
 * structure of a function with code `DIR` or a direction label (DIRECTION_LABELS), in order,
 * deduplicated.
 */
export function staffDirection(r: FieldReader, functions: readonly FunctionRef[]): string[] {
  const out: string[] = [];
  const add = (s: string) => {
    if (s !== '' && !out.includes(s)) out.push(s);
  };
  for (const s of r.values('ENTEnsFonctionDir')) add(s);
  for (const f of functions)
    if (f.code === 'DIR' || DIRECTION_LABELS.has(label(f.disciplineLabel))) add(f.structure);
  return out;
}

/**
 * Teacher or other staff: ENTPersonCategorieEnseignant when present and non-empty (O → teacher,
 * N → staff), else PersEducNatPresenceDevantEleves = O → teacher, else (2D) any function coded
 * ENS or DOC → teacher, or (1D) any ENTPersonFonctions value containing ENS or DOC anywhere
 * (code, label or discipline: the ENT NG 1D rule), else staff.
 */
export function staffProfile(
  r: FieldReader,
  functions: readonly FunctionRef[],
  level: Level = '2d',
): Profile {
  const category = r.bool('ENTPersonCategorieEnseignant');
  if (category !== null) return category ? 'teacher' : 'staff';
  const presence = r.one('PersEducNatPresenceDevantEleves');
  if (presence !== null && aafBoolean(presence) === true) return 'teacher';
  if (level === '1d')
    return r.values('ENTPersonFonctions').some((v) => v.includes('ENS') || v.includes('DOC'))
      ? 'teacher'
      : 'staff';
  return functions.some((f) => f.code === 'ENS' || f.code === 'DOC') ? 'teacher' : 'staff';
}
