import { COLLEGE_LEVELS, LYCEE_LEVELS, type LevelDef } from './school-levels.js';

export * from './school-levels.js';

/**
 * The BCN-like nomenclatures of the synthetic académie: subjects (MatiereEducNat), MEFs
 * (MefEducNat), staff disciplines, and the school levels with their curricula and option groups.
 */

export interface Subject {
  /** ENTMatJointure, 6 digits. */
  readonly code: string;
  readonly label: string;
  /** Index in DISCIPLINES of the teachers who teach it. */
  readonly discipline: number;
}

export interface Discipline {
  /** Discipline code of ENTPersonFonctions (`L1300`). */
  readonly code: string;
  readonly label: string;
  /** Category of ENTAuxEnsCategoDiscipline (`13`). */
  readonly category: string;
}

export const DISCIPLINES: readonly Discipline[] = [
  { code: 'L0202', label: 'LETTRES MODERNES', category: '02' },
  { code: 'L0201', label: 'LETTRES CLASSIQUES', category: '02' },
  { code: 'L1300', label: 'MATHEMATIQUES', category: '13' },
  { code: 'L0422', label: 'ANGLAIS', category: '04' },
  { code: 'L0421', label: 'ALLEMAND', category: '04' },
  { code: 'L0426', label: 'ESPAGNOL', category: '04' },
  { code: 'L0429', label: 'ITALIEN', category: '04' },
  { code: 'L1000', label: 'HISTOIRE GEOGRAPHIE', category: '10' },
  { code: 'L1500', label: 'PHYSIQUE CHIMIE', category: '15' },
  { code: 'L1600', label: 'SCIENCES DE LA VIE ET DE LA TERRE', category: '16' },
  { code: 'L1400', label: 'TECHNOLOGIE', category: '14' },
  { code: 'L1800', label: 'ARTS PLASTIQUES', category: '18' },
  { code: 'L1700', label: 'EDUCATION MUSICALE', category: '17' },
  { code: 'L1900', label: 'EDUCATION PHYSIQUE ET SPORTIVE', category: '19' },
  { code: 'L0100', label: 'PHILOSOPHIE', category: '01' },
  { code: 'L8011', label: 'SCIENCES ECONOMIQUES ET SOCIALES', category: '80' },
  { code: 'L8012', label: 'ECONOMIE ET GESTION', category: '80' },
];

const d = (label: string): number => DISCIPLINES.findIndex((x) => x.label === label);

export const SUBJECTS: readonly Subject[] = [
  { code: '020100', label: 'FRANCAIS', discipline: d('LETTRES MODERNES') },
  { code: '020700', label: 'LATIN', discipline: d('LETTRES CLASSIQUES') },
  { code: '030201', label: 'ANGLAIS LV1', discipline: d('ANGLAIS') },
  { code: '030402', label: 'ALLEMAND LV2', discipline: d('ALLEMAND') },
  { code: '030602', label: 'ESPAGNOL LV2', discipline: d('ESPAGNOL') },
  { code: '030702', label: 'ITALIEN LV2', discipline: d('ITALIEN') },
  { code: '040600', label: 'HISTOIRE-GEOGRAPHIE', discipline: d('HISTOIRE GEOGRAPHIE') },
  { code: '043500', label: 'HIST.GEO.GEOPOL.SC.POLITIQUES', discipline: d('HISTOIRE GEOGRAPHIE') },
  { code: '061300', label: 'MATHEMATIQUES', discipline: d('MATHEMATIQUES') },
  { code: '061900', label: 'ENSEIGNEMENT SCIENTIFIQUE', discipline: d('PHYSIQUE CHIMIE') },
  { code: '063700', label: 'PHYSIQUE-CHIMIE', discipline: d('PHYSIQUE CHIMIE') },
  {
    code: '063800',
    label: 'SCIENCES VIE & TERRE',
    discipline: d('SCIENCES DE LA VIE ET DE LA TERRE'),
  },
  { code: '070100', label: 'TECHNOLOGIE', discipline: d('TECHNOLOGIE') },
  { code: '081100', label: 'ARTS PLASTIQUES', discipline: d('ARTS PLASTIQUES') },
  { code: '081300', label: 'EDUCATION MUSICALE', discipline: d('EDUCATION MUSICALE') },
  {
    code: '100100',
    label: 'EDUCATION PHYSIQUE ET SPORTIVE',
    discipline: d('EDUCATION PHYSIQUE ET SPORTIVE'),
  },
  { code: '013100', label: 'PHILOSOPHIE', discipline: d('PHILOSOPHIE') },
  {
    code: '041600',
    label: 'SCIENCES ECONOMIQUES ET SOCIALES',
    discipline: d('SCIENCES ECONOMIQUES ET SOCIALES'),
  },
  {
    code: '040200',
    label: 'SCIENCES DE GESTION ET NUMERIQUE',
    discipline: d('ECONOMIE ET GESTION'),
  },
];

const SUBJECT_BY_CODE = new Map(SUBJECTS.map((s) => [s.code, s]));

export function subject(code: string): Subject {
  const s = SUBJECT_BY_CODE.get(code);
  if (!s) throw new RangeError(`unknown subject ${code}`);
  return s;
}

/** Every MEF of the nomenclature file (2D levels). */
export const MEFS = [...COLLEGE_LEVELS, ...LYCEE_LEVELS].map(
  (l) => l.mef as NonNullable<LevelDef['mef']>,
);
