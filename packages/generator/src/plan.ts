import {
  COLLEGE_LEVELS,
  ELEMENTAIRE_LEVELS,
  LYCEE_LEVELS,
  MATERNELLE_LEVELS,
  type LevelDef,
} from './nomenclature.js';
import { drawEstablishmentName, drawTown, type Town } from './places.js';
import { Rng } from './prng.js';
import { uaiFromNumber } from './uai.js';

export type SchoolLevel = '2d' | '1d';
export type EstablishmentKind = 'college' | 'lycee' | 'elementaire' | 'maternelle';

/** One class or group of an establishment, as the pupils made it. */
export interface Division {
  readonly code: string;
  readonly label: string;
  /** Index in the establishment's `levels`. */
  readonly level: number;
  /** 1D: the stable class/group id (field 3 of ENTPersonClasses). */
  readonly id: string;
  /** Groups: the subject taught in the group; classes: ''. */
  readonly subject: string;
  /** Groups: the codes of the classes their pupils come from (ENTStructureGroupes). */
  readonly classes?: string[];
}

export interface EstablishmentPlan {
  /** Index among the level's establishments. */
  readonly index: number;
  readonly level: SchoolLevel;
  readonly kind: EstablishmentKind;
  readonly jointure: string;
  readonly uai: string;
  /** ENTStructureNomCourant: `CLG$DES TILLEULS$VILLEBOIS`. */
  readonly name: string;
  readonly type: string;
  readonly town: Town;
  readonly levels: readonly LevelDef[];
  /** All persons of the Complet whose home is this establishment (families split by weight). */
  readonly personBudget: number;
  readonly staffBudget: number;
  /** Filled when the establishment's cluster is generated (used by the Deltas). */
  classes: Division[];
  groups: Division[];
}

/** Establishments of one town, generated together (siblings span them; teachers may share). */
export interface ClusterPlan {
  readonly index: number;
  readonly establishments: readonly EstablishmentPlan[];
  /** First person jointure of the cluster; its persons take consecutive numbers. */
  readonly idStart: number;
  readonly persons: number;
  /** Second académie (`uaiOffset`): the 2 digits ending its pupils' INE digits (see drawPupil). */
  readonly ineMark?: string;
}

export interface LevelPlan {
  readonly level: SchoolLevel;
  readonly persons: number;
  readonly establishments: readonly EstablishmentPlan[];
  readonly clusters: readonly ClusterPlan[];
  readonly idStart: number;
  /** First jointure after the Complet's persons (quirk records, then Delta additions). */
  readonly idNext: number;
}

interface KindSpec {
  readonly kind: EstablishmentKind;
  readonly share: number;
  readonly pupils: readonly [mean: number, sd: number, min: number, max: number];
  readonly prefix: string;
  readonly type: string;
  readonly levels: readonly LevelDef[];
}

const KINDS: Readonly<Record<SchoolLevel, readonly KindSpec[]>> = {
  '2d': [
    {
      kind: 'college',
      share: 0.65,
      pupils: [500, 150, 150, 950],
      prefix: 'CLG',
      type: 'COLLEGE',
      levels: COLLEGE_LEVELS,
    },
    {
      kind: 'lycee',
      share: 0.35,
      pupils: [1000, 300, 350, 1800],
      prefix: 'LGT',
      type: 'LYCEE GENERAL ET TECHNOLOGIQUE',
      levels: LYCEE_LEVELS,
    },
  ],
  '1d': [
    {
      kind: 'elementaire',
      share: 0.7,
      pupils: [150, 60, 40, 350],
      prefix: 'E.E.PU',
      type: 'ECOLE ELEMENTAIRE',
      levels: ELEMENTAIRE_LEVELS,
    },
    {
      kind: 'maternelle',
      share: 0.3,
      pupils: [90, 30, 30, 180],
      prefix: 'E.M.PU',
      type: 'ECOLE MATERNELLE',
      levels: MATERNELLE_LEVELS,
    },
  ],
};

/** Share of staff among the persons of an establishment. */
export const STAFF_RATIO: Readonly<Record<SchoolLevel, number>> = { '2d': 0.07, '1d': 0.05 };
/** Share of pupils among persons, used to turn a pupil size into a person budget. */
const PUPIL_RATIO = 0.55;
const MIN_BUDGET = 40;

/**
 * Plans a level: establishments (kind, size, names, UAI), grouped in town clusters, with an exact
 * person budget each so that the whole level has exactly `persons` persons.
 */
/**
 * An INE is national: the pupils of a second académie (`uaiOffset`), which reuses the jointures,
 * never share one with the first's. Their INE digits (the jointure reversed, ending in the
 * jointure's leading zeros, "00" below 10^7) end in two digits of the offset instead.
 */
function ineMark(uaiOffset: number): { ineMark?: string } {
  return uaiOffset > 0 ? { ineMark: String(10 + (uaiOffset % 90)) } : {};
}

export function planLevel(
  seed: number,
  level: SchoolLevel,
  persons: number,
  options: {
    readonly idStart: number;
    readonly uaiOffset: number;
    /** Given `--uai-offset`: a second académie reusing the first's jointures. */
    readonly secondAcademy?: boolean;
    readonly academy: string;
  },
): LevelPlan {
  const rng = new Rng(seed, 'plan', level);
  const drafts: { spec: KindSpec; budget: number }[] = [];
  let remaining = persons;
  while (remaining > 0) {
    const spec = rng.weighted(KINDS[level].map((k) => [k, k.share] as const));
    const [mean, sd, min, max] = spec.pupils;
    let budget = Math.min(remaining, Math.round(rng.normalInt(mean, sd, min, max) / PUPIL_RATIO));
    if (remaining - budget < MIN_BUDGET) budget = remaining;
    drafts.push({ spec, budget });
    remaining -= budget;
  }
  const establishments: EstablishmentPlan[] = [];
  const clusters: ClusterPlan[] = [];
  let id = options.idStart;
  let i = 0;
  while (i < drafts.length) {
    const group = [drafts[i] as (typeof drafts)[number]];
    const next = drafts[i + 1];
    if (next && next.spec.kind !== group[0]?.spec.kind && rng.chance(0.6)) group.push(next);
    const town = drawTown(rng, clusters.length);
    const members = group.map((draft) => {
      const e = makeEstablishment(rng, level, establishments.length, draft, town, options);
      establishments.push(e);
      return e;
    });
    const clusterPersons = members.reduce((s, e) => s + e.personBudget, 0);
    clusters.push({
      index: clusters.length,
      establishments: members,
      idStart: id,
      persons: clusterPersons,
      ...(options.secondAcademy === true ? ineMark(options.uaiOffset) : {}),
    });
    id += clusterPersons;
    i += group.length;
  }
  return { level, persons, establishments, clusters, idStart: options.idStart, idNext: id };
}

function makeEstablishment(
  rng: Rng,
  level: SchoolLevel,
  index: number,
  draft: { spec: KindSpec; budget: number },
  town: Town,
  options: { readonly uaiOffset: number },
): EstablishmentPlan {
  const n = options.uaiOffset + index + 1;
  // Departments 099, 098, … each hold 9,999 establishments.
  const uaiNumber = (99 - Math.floor((n - 1) / 9999)) * 10000 + (((n - 1) % 9999) + 1);
  const staffBudget = Math.max(2, Math.round(draft.budget * STAFF_RATIO[level]));
  return {
    index,
    level,
    kind: draft.spec.kind,
    jointure: `${level === '2d' ? '91' : '92'}${String(index + 1).padStart(4, '0')}`,
    uai: uaiFromNumber(uaiNumber),
    name: `${draft.spec.prefix}$${drawEstablishmentName(rng)}$${town.name}`,
    type: draft.spec.type,
    town,
    levels: draft.spec.levels,
    personBudget: draft.budget,
    staffBudget: Math.min(staffBudget, draft.budget - 2),
    classes: [],
    groups: [],
  };
}
