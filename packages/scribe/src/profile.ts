import type { ScribeProfile, ScribeProfileOverrides } from '@aaf-sync/targets';

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
  groupTypes: { class: 'Classe', group: 'Option', team: 'Equipe', base: 'Base' },
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
