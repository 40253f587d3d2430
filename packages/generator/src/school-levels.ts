/** School levels of the synthetic académie: classes, curricula (subject codes) and option groups. */

/** Pupils per option group before a new group of the same family opens. */
export const GROUP_SIZE = 30;

/** An option group family of a level: pupils are drawn into it, then split by `GROUP_SIZE`. */
export interface GroupFamily {
  /** Group code stem (`5LAT`); a number follows from the second group on. */
  readonly code: string;
  readonly label: string;
  readonly subject: string;
}

/** How the pupils of a level are put into the level's option groups. */
export interface GroupRule {
  readonly kind: 'optional' | 'one-of' | 'several-of';
  readonly families: readonly GroupFamily[];
  /** optional: share of pupils; one-of: weights per family; several-of: how many. */
  readonly share?: number;
  readonly weights?: readonly number[];
  readonly count?: number;
}

export interface LevelDef {
  /** Level code (`6EME`, `2NDE`, `CM1`). */
  readonly code: string;
  readonly stage: 'college' | 'lycee' | 'maternelle' | 'elementaire';
  /** Age reached in the calendar year the school year starts. */
  readonly age: number;
  /** Relative size of the level in its establishment. */
  readonly weight: number;
  /** Class code stem: `6` + letter (collège), `2NDE` + number (lycée), 1D: the level. */
  readonly classStem: string;
  readonly classLabel: string;
  readonly classSize: number;
  // 2D
  readonly mef?: { readonly code: string; readonly label: string; readonly stat11: string };
  readonly subjects: readonly string[];
  readonly groups: readonly GroupRule[];
  // 1D
  readonly cycle?: string;
}

const LV2: GroupRule = {
  kind: 'one-of',
  families: [
    { code: 'ESP', label: 'ESPAGNOL LV2', subject: '030602' },
    { code: 'ALL', label: 'ALLEMAND LV2', subject: '030402' },
    { code: 'ITA', label: 'ITALIEN LV2', subject: '030702' },
  ],
  weights: [0.6, 0.25, 0.15],
};
const LATIN: GroupRule = {
  kind: 'optional',
  families: [{ code: 'LAT', label: 'LATIN', subject: '020700' }],
  share: 0.2,
};
const SPECIALITES: readonly GroupFamily[] = [
  { code: 'SPMAT', label: 'SPE MATHEMATIQUES', subject: '061300' },
  { code: 'SPPC', label: 'SPE PHYSIQUE-CHIMIE', subject: '063700' },
  { code: 'SPSVT', label: 'SPE SVT', subject: '063800' },
  { code: 'SPSES', label: 'SPE SES', subject: '041600' },
  { code: 'SPHGG', label: 'SPE HGGSP', subject: '043500' },
];

const COLLEGE_CORE = [
  '020100',
  '061300',
  '030201',
  '040600',
  '063800',
  '070100',
  '081100',
  '081300',
  '100100',
];

function college(
  code: string,
  age: number,
  digit: string,
  mef: string,
  stat11: string,
  groups: GroupRule[],
): LevelDef {
  return {
    code,
    stage: 'college',
    age,
    weight: 1,
    classStem: digit,
    classLabel: code,
    classSize: 27,
    mef: { code: mef, label: code, stat11 },
    subjects: digit === '6' ? COLLEGE_CORE : [...COLLEGE_CORE, '063700'],
    groups: groups.map((g) => ({
      ...g,
      families: g.families.map((f) => ({
        ...f,
        code: digit + f.code,
        label: `${f.label} ${digit}E`,
      })),
    })),
  };
}

export const COLLEGE_LEVELS: readonly LevelDef[] = [
  college('6EME', 11, '6', '10010012110', '11010010001', []),
  college('5EME', 12, '5', '10110001110', '11110010001', [LATIN, LV2]),
  college('4EME', 13, '4', '10210001110', '11210010001', [LATIN, LV2]),
  college('3EME', 14, '3', '10310019110', '11310010001', [LATIN, LV2]),
];

function lycee(
  code: string,
  age: number,
  weight: number,
  stem: string,
  label: string,
  mef: string,
  stat11: string,
  subjects: string[],
  groups: GroupRule[],
): LevelDef {
  return {
    code,
    stage: 'lycee',
    age,
    weight,
    classStem: stem,
    classLabel: label,
    classSize: 32,
    mef: { code: mef, label, stat11 },
    subjects,
    groups: groups.map((g) => ({
      ...g,
      families: g.families.map((f) => ({ ...f, code: stem + f.code, label: `${f.label} ${stem}` })),
    })),
  };
}

export const LYCEE_LEVELS: readonly LevelDef[] = [
  lycee(
    '2NDE',
    15,
    1,
    '2NDE',
    '2NDE GENERALE ET TECHNO',
    '20010018110',
    '21010010001',
    ['020100', '061300', '030201', '040600', '063700', '063800', '041600', '100100'],
    [LV2],
  ),
  lycee(
    '1G',
    16,
    0.75,
    '1G',
    '1ERE GENERALE',
    '20110019110',
    '21110010001',
    ['020100', '040600', '030201', '100100', '061900'],
    [{ kind: 'several-of', families: SPECIALITES, count: 3 }],
  ),
  lycee(
    'TG',
    17,
    0.75,
    'TG',
    'TERMINALE GENERALE',
    '20210019110',
    '21210010001',
    ['013100', '040600', '030201', '100100', '061900'],
    [{ kind: 'several-of', families: SPECIALITES, count: 2 }],
  ),
  lycee(
    '1STMG',
    16,
    0.25,
    '1STMG',
    '1ERE STMG',
    '21131016110',
    '21130010001',
    ['020100', '040600', '030201', '100100', '061300', '040200'],
    [],
  ),
  lycee(
    'TSTMG',
    17,
    0.25,
    'TSTMG',
    'TERMINALE STMG',
    '21231016110',
    '21230010001',
    ['013100', '040600', '030201', '100100', '061300', '040200'],
    [],
  ),
];

function primary(
  code: string,
  stage: 'maternelle' | 'elementaire',
  age: number,
  cycle: string,
): LevelDef {
  return {
    code,
    stage,
    age,
    weight: 1,
    classStem: code,
    classLabel: code,
    classSize: 26,
    subjects: [],
    groups: [],
    cycle,
  };
}

export const MATERNELLE_LEVELS: readonly LevelDef[] = [
  primary('PS', 'maternelle', 3, 'CYCLE I'),
  primary('MS', 'maternelle', 4, 'CYCLE I'),
  primary('GS', 'maternelle', 5, 'CYCLE I'),
];

export const ELEMENTAIRE_LEVELS: readonly LevelDef[] = [
  primary('CP', 'elementaire', 6, 'CYCLE II'),
  primary('CE1', 'elementaire', 7, 'CYCLE II'),
  primary('CE2', 'elementaire', 8, 'CYCLE II'),
  primary('CM1', 'elementaire', 9, 'CYCLE III'),
  primary('CM2', 'elementaire', 10, 'CYCLE III'),
];
