import type { Level, PersonCategory, PersonRecord } from '../model.js';
import { recordReject, type FieldReader } from './field-reader.js';
import { contactTheme, schoolingTheme, staffTheme, themes } from './person-details.js';
import { pupilGroups, pupilRelatives } from './pupil-links.js';
import {
  staffDirection,
  staffFunctions,
  staffHeadTeacher,
  staffProfile,
  staffTeaching,
} from './staff-links.js';

type Links = Pick<
  PersonRecord,
  | 'profile'
  | 'structures'
  | 'primaryStructure'
  | 'classes'
  | 'groups'
  | 'relatives'
  | 'pupils'
  | 'functions'
  | 'direction'
  | 'teaching'
  | 'headTeacher'
  | 'details'
>;

const NO_LINKS = {
  classes: [],
  groups: [],
  relatives: [],
  pupils: [],
  functions: [],
  direction: [],
  teaching: [],
  headTeacher: [],
} as const;

function unique(values: readonly (string | null)[]): string[] {
  const out: string[] = [];
  for (const v of values) if (v !== null && v !== '' && !out.includes(v)) out.push(v);
  return out;
}

function pupilLinks(r: FieldReader): Links {
  const classes = pupilGroups(r, 'ENTEleveClasses', 'ENTPersonClasses');
  const groups = pupilGroups(r, 'ENTEleveGroupes', 'ENTPersonGroupes');
  const attachment = r.values('ENTPersonStructRattach');
  const named = [...classes, ...groups].map((g) => g.structure);
  const primary = attachment[0] ?? named[0] ?? null;
  return {
    ...NO_LINKS,
    profile: 'pupil',
    primaryStructure: primary,
    structures: unique([primary, ...attachment, ...named]),
    classes,
    groups,
    relatives: pupilRelatives(r),
    details: themes({ contact: contactTheme(r), schooling: schoolingTheme(r) }),
  };
}

function relativeLinks(r: FieldReader): Links {
  return {
    ...NO_LINKS,
    profile: 'relative',
    primaryStructure: null,
    structures: [],
    pupils: r.values('ENTAuxPersRelEleveEleve', 'ENTPersRelEleveEleve'),
    details: themes({ contact: contactTheme(r) }),
  };
}

function staffLinks(r: FieldReader, level: Level): Links {
  const { functions, structures: fnStructures } = staffFunctions(r);
  const attachment = r.values('ENTPersonStructRattach');
  const direction = staffDirection(r, functions);
  const teaching = staffTeaching(r);
  const headTeacher = staffHeadTeacher(r);
  const others = [
    ...direction,
    ...teaching.map((t) => t.structure),
    ...headTeacher.map((h) => h.structure),
  ];
  const primary = attachment[0] ?? fnStructures[0] ?? others[0] ?? null;
  return {
    ...NO_LINKS,
    profile: staffProfile(r, functions, level),
    primaryStructure: primary,
    structures: unique([primary, ...attachment, ...fnStructures, ...others]),
    functions,
    direction,
    teaching,
    headTeacher,
    details: themes({ contact: contactTheme(r), staff: staffTheme(r) }),
  };
}

const LINKS: Readonly<Record<PersonCategory, (r: FieldReader, level: Level) => Links>> = {
  pupil: pupilLinks,
  relative: relativeLinks,
  staff: staffLinks,
};

/**
 * A person record (pupil, relative or staff) of either level: identity from the 2D names or
 * their 1D `ENTPerson*` twins, then the links of its category. Null (with a record reject)
 * when the jointure contradicts the id or a name is missing.
 */
export function normalizePerson(
  r: FieldReader,
  category: PersonCategory,
  level: Level,
  id: string,
): PersonRecord | null {
  const jointure = r.one('ENTPersonJointure');
  if (jointure !== null && jointure !== id) {
    r.rejects.push(recordReject('IDENTIFIER_MISMATCH', `ENTPersonJointure ${jointure} ≠ id ${id}`));
    return null;
  }
  // The usage name defaults to the birth name, as in civil status.
  const sn = r.one('sn', 'ENTPersonNom', 'ENTPersonNomPatro');
  const givenName = r.one('givenName', 'ENTPersonPrenom');
  if (sn === null || givenName === null) {
    const missing = [sn === null ? 'sn' : null, givenName === null ? 'givenName' : null];
    r.rejects.push(recordReject('MISSING_REQUIRED', `no ${unique(missing).join(' nor ')}`));
    return null;
  }
  return {
    kind: 'person',
    category,
    level,
    jointure: id,
    givenName,
    sn,
    birthName: r.one('ENTPersonNomPatro'),
    otherGivenNames: r.values('ENTPersonAutresPrenoms'),
    civility: r.one('personalTitle', 'ENTPersonCivilite'),
    birthDate: r.birthDate('ENTPersonDateNaissance', category === 'pupil'),
    ine: r.ine('ENTEleveINE'),
    mail: r.mail('mail', 'ENTPersonMail'),
    ...LINKS[category](r, level),
  };
}
