import type { Profile } from '@aaf-sync/db';
import type { AttributePolicy, ScribeProfile, ScribeProfileOverrides } from '@aaf-sync/targets';

export type { ScribeProfile, ScribeProfileOverrides };

const POSIX = ['posixAccount', 'shadowAccount'];

export const DEFAULT_SCRIBE_PROFILE: ScribeProfile = {
  usersOu: 'utilisateurs',
  groupsOu: 'groupes',
  localOu: 'local',
  branches: {
    pupil: 'eleves',
    teacher: 'personnels',
    staff: 'personnels',
    relative: 'responsables',
  },
  profils: {
    pupil: 'eleve',
    teacher: 'enseignant',
    staff: 'administratif',
    relative: 'responsable',
  },
  objectClasses: {
    pupil: ['top', 'inetOrgPerson', 'ENTPerson', 'ENTEleve', 'Eleves', ...POSIX],
    teacher: ['top', 'inetOrgPerson', 'ENTPerson', 'ENTAuxEnseignant', 'administrateur', ...POSIX],
    staff: ['top', 'inetOrgPerson', 'ENTPerson', 'ENTAuxNonEnsEtab', 'administratif', ...POSIX],
    relative: [
      'top',
      'inetOrgPerson',
      'ENTPerson',
      'ENTAuxPersRelEleve',
      'responsable',
      'shadowAccount',
    ],
  },
  groupObjectClasses: ['top', 'posixGroup', 'testScribeGroupe'],
  posixProfiles: ['pupil', 'teacher', 'staff'],
  uidNumberStart: 10_000,
  gidNumberStart: 10_000,
  homeDirectory: '/home/{initial}/{uid}',
  primaryGroups: { pupil: 'eleves', teacher: 'professeurs', staff: 'administratifs' },
  groupTypes: {
    class: 'Classe',
    group: 'Option',
    team: 'Equipe',
    base: 'Base',
    level: 'Niveau',
    subject: 'Matiere',
  },
  levelGroups: { from: 'label', prefix: '' },
  subjectGroups: { from: 'label', prefix: '' },
  extraAttributes: {
    pupil: {
      intid: 'jointure',
      employeeNumber: 'schoolId',
      codecivilite: 'civilityCode',
      ENTEleveMEF: 'mefCode',
      ENTEleveLibelleMEF: 'mefLabel',
      Meflcf: 'levelGroup',
    },
    teacher: {
      intid: 'jointure',
      codecivilite: 'civilityCode',
      typeadmin: 'typeadmin',
      Divcod: 'headOfClasses',
      ENTAuxEnsMatiereEnseignEtab: 'subjectsTaught',
    },
    staff: { intid: 'jointure', codecivilite: 'civilityCode' },
    relative: { intid: 'jointure', codecivilite: 'civilityCode' },
  },
  civilityCodes: { 'M.': '1', M: '1', Mme: '2', Mlle: '3' },
  typeadmin: { teacher: '0', headTeacher: '2' },
  passwordsOverTlsOnly: false,
  managedGroupTypes: ['Classe', 'Option', 'Equipe', 'Niveau', 'Matiere'],
  teamPrefix: 'profs-',
  disabled: { attribute: 'shadowExpire', value: '1' },
  policy: {
    objectClass: 'merge',
    cn: 'force',
    sn: 'force',
    givenName: 'force',
    displayName: 'force',
    personalTitle: 'force',
    mail: 'keep',
    uidNumber: 'force',
    gidNumber: 'force',
    homeDirectory: 'keep',
    shadowExpire: 'force',
    ENTPersonLogin: 'force',
    ENTPersonJointure: 'force',
    ENTPersonProfils: 'force',
    ENTPersonStructRattach: 'force',
    ENTPersonDateNaissance: 'force',
    dateNaissance: 'force',
    Ine: 'force',
    Divcod: 'force',
    ENTEleveClasses: 'force',
    ENTEleveGroupes: 'force',
    ENTAuxEnsClasses: 'force',
    ENTAuxEnsGroupes: 'force',
    ENTAuxPersRelEleveEleve: 'force',
  },
};

/** The default profile with a target's overrides: parts replaced whole, `policy` merged. */
export function resolveProfile(overrides: ScribeProfileOverrides = {}): ScribeProfile {
  return {
    ...DEFAULT_SCRIBE_PROFILE,
    ...overrides,
    policy: { ...DEFAULT_SCRIBE_PROFILE.policy, ...(overrides.policy ?? {}) },
  };
}

/**
 * The attributes the driver owns on an entry of this profile: `policy` (every profile), plus the
 * profile's `extraAttributes` as `force` unless `policy` names them. An extra attribute of another
 * profile only (a pupil's `employeeNumber`) is not ours on a teacher's entry: never touched there.
 */
export function policyFor(profile: ScribeProfile, kind: Profile): Record<string, AttributePolicy> {
  const extra = Object.keys(profile.extraAttributes[kind]);
  return {
    ...Object.fromEntries(extra.map((name) => [name, 'force' as const])),
    ...profile.policy,
  };
}

/** Every attribute any profile owns (what a read or the inventory asks for). */
export function ownedAttributes(profile: ScribeProfile): string[] {
  const names = [
    ...Object.keys(profile.policy),
    ...Object.values(profile.extraAttributes).flatMap((m) => Object.keys(m)),
  ];
  const seen = new Set<string>();
  return names.filter((n) => !seen.has(n.toLowerCase()) && seen.add(n.toLowerCase()));
}
