import {
  GIVEN_NAMES,
  SPECIAL_SURNAMES,
  SURNAME_CODAS,
  SURNAME_ONSETS,
  SURNAMES,
  WORLD_SURNAMES,
  type Generation,
  type Sex,
} from './name-data.js';
import { cumulative, Rng } from './prng.js';

export type { Generation, Sex };

/** One drawn identity. */
export interface SampledName {
  readonly sex: Sex;
  /** `M.` or `Mme`. */
  readonly civility: 'M.' | 'Mme';
  readonly givenName: string;
  /** `ENTPersonAutresPrenoms`: the given name then the others; empty when there is only one. */
  readonly otherGivenNames: readonly string[];
  readonly sn: string;
}

export interface PersonNameOptions {
  readonly sex?: Sex;
  /** Chooses the given-name list: pupils are `child`, parents and staff `adult`. */
  readonly generation?: Generation;
  /** Keep this surname (siblings, spouses). */
  readonly sn?: string;
}

/**
 * Draws realistic French names with a heavy-tailed distribution: a Zipf-like head (MARTIN,
 * BERNARD…; JEAN, LÉA…) gives large homonym families, a long tail of synthesised rare surnames
 * keeps most people distinct, and a sprinkle of compound, particle and foreign names tests login
 * generators. Deterministic for a given seed (or Rng).
 */
export interface NameSampler {
  surname(): string;
  givenName(sex: Sex, generation: Generation): string;
  person(options?: PersonNameOptions): SampledName;
}

/** Shares of the surname sources (the rest is the Zipf head). */
const TAIL_SHARE = 0.3;
const SPECIAL_SHARE = 0.025;
const WORLD_SHARE = 0.06;
const COMPOUND_SHARE = 0.025;

function zipf(n: number, offset: number, exponent: number): Float64Array {
  return cumulative(Array.from({ length: n }, (_, r) => 1 / (r + offset) ** exponent));
}

const SURNAME_WEIGHTS = zipf(SURNAMES.length, 5, 1);
const GIVEN_WEIGHTS = new Map<readonly string[], Float64Array>();
for (const bySex of Object.values(GIVEN_NAMES)) {
  for (const list of Object.values(bySex)) GIVEN_WEIGHTS.set(list, zipf(list.length, 3, 0.9));
}

/** Creates a sampler; pass a seed, or an Rng to share one random stream. */
export function createNameSampler(seed: number | Rng): NameSampler {
  const rng = typeof seed === 'number' ? new Rng(seed, 'names') : seed;

  const commonSurname = (): string => SURNAMES[rng.weightedIndex(SURNAME_WEIGHTS)] as string;
  const rareSurname = (): string => {
    const parts = rng.chance(0.5) ? 2 : 3;
    let s = '';
    for (let i = 0; i < parts; i++) s += rng.pick(SURNAME_ONSETS);
    return s + rng.pick(SURNAME_CODAS);
  };

  const surname = (): string => {
    const x = rng.next();
    if (x < TAIL_SHARE) return rareSurname();
    if (x < TAIL_SHARE + SPECIAL_SHARE) return rng.pick(SPECIAL_SURNAMES);
    if (x < TAIL_SHARE + SPECIAL_SHARE + WORLD_SHARE) return rng.pick(WORLD_SURNAMES);
    if (x < TAIL_SHARE + SPECIAL_SHARE + WORLD_SHARE + COMPOUND_SHARE) {
      return `${commonSurname()}-${commonSurname()}`;
    }
    return commonSurname();
  };

  const givenName = (sex: Sex, generation: Generation): string => {
    const list = GIVEN_NAMES[generation][sex];
    const weights = GIVEN_WEIGHTS.get(list) as Float64Array;
    return list[rng.weightedIndex(weights)] as string;
  };

  const person = (options: PersonNameOptions = {}): SampledName => {
    const sex = options.sex ?? (rng.chance(0.5) ? 'F' : 'M');
    const generation = options.generation ?? 'adult';
    const given = givenName(sex, generation);
    const others: string[] = [];
    if (rng.chance(0.35)) {
      others.push(given);
      const more = rng.chance(0.3) ? 2 : 1;
      for (let i = 0; i < more; i++) {
        const other = givenName(sex, rng.chance(0.5) ? 'senior' : generation);
        if (!others.includes(other)) others.push(other);
      }
      if (others.length === 1) others.length = 0;
    }
    return {
      sex,
      civility: sex === 'F' ? 'Mme' : 'M.',
      givenName: given,
      otherGivenNames: others,
      sn: options.sn ?? surname(),
    };
  };

  return { surname, givenName, person };
}
