import type { PersonCategory } from '@aaf-sync/aaf';

/** What became of persons: counted per establishment, and per category. */
const PERSON_COUNT_NAMES = [
  'created',
  'updated',
  'restored',
  'unchanged',
  'departed',
  'left',
] as const;

export const COUNT_NAMES = [
  ...PERSON_COUNT_NAMES,
  'membershipsAdded',
  'membershipsRemoved',
  'rejects',
] as const;
export type CountName = (typeof COUNT_NAMES)[number];
export type Counts = Record<CountName, number>;

/** What a category's persons of an establishment came to (membership moves are not theirs). */
export const CATEGORY_COUNT_NAMES = [...PERSON_COUNT_NAMES, 'rejects'] as const;
export type CategoryCountName = (typeof CATEGORY_COUNT_NAMES)[number];
export type CategoryCounts = Record<CategoryCountName, number>;
export type ByCategory = Record<PersonCategory, CategoryCounts>;

export const PERSON_CATEGORIES: readonly PersonCategory[] = ['pupil', 'relative', 'staff'];

export function zeroCounts(): Counts {
  return Object.fromEntries(COUNT_NAMES.map((n) => [n, 0])) as Counts;
}

export function zeroByCategory(): ByCategory {
  const zero = () => Object.fromEntries(CATEGORY_COUNT_NAMES.map((n) => [n, 0])) as CategoryCounts;
  return { pupil: zero(), relative: zero(), staff: zero() };
}

/** The key of what belongs to no establishment (relatives linked to no pupil, staff without one). */
const NONE = '';

interface Entry {
  readonly counts: Counts;
  readonly byCategory: ByCategory;
}

/**
 * Per-establishment counters of a plan (persons only: structures, subjects and MEFs are counted
 * on their own lines, see ReferenceStats), with a line for what belongs to no establishment.
 * Files count into their own and merge when read whole.
 */
export class EstablishmentStats {
  readonly #by = new Map<string, Entry>();

  #entry(structure: string): Entry {
    let e = this.#by.get(structure);
    if (!e) this.#by.set(structure, (e = { counts: zeroCounts(), byCategory: zeroByCategory() }));
    return e;
  }

  /** Counts under `structure` (null: no establishment), and under its category when given. */
  add(structure: string | null, name: CountName, n = 1, category?: PersonCategory): void {
    if (n === 0) return;
    const e = this.#entry(structure || NONE);
    e.counts[name] += n;
    if (category && (CATEGORY_COUNT_NAMES as readonly string[]).includes(name))
      e.byCategory[category][name as CategoryCountName] += n;
  }

  /** Gives the establishment a line even if none of its persons changes (its own record). */
  touch(structure: string): void {
    this.#entry(structure);
  }

  merge(other: EstablishmentStats): void {
    for (const [structure, e] of other.#by) {
      const mine = this.#entry(structure);
      for (const name of COUNT_NAMES) mine.counts[name] += e.counts[name];
      for (const c of PERSON_CATEGORIES)
        for (const name of CATEGORY_COUNT_NAMES) mine.byCategory[c][name] += e.byCategory[c][name];
    }
  }

  get(structure: string): Counts {
    return this.#by.get(structure)?.counts ?? zeroCounts();
  }

  byCategory(structure: string | null): ByCategory {
    return this.#by.get(structure || NONE)?.byCategory ?? zeroByCategory();
  }

  /** The establishments counted (not the no-establishment line), sorted. */
  structures(): string[] {
    return [...this.#by.keys()].filter((k) => k !== NONE).sort();
  }

  /** What belongs to no establishment. */
  none(): Counts {
    return this.get(NONE);
  }

  departures(structure: string): number {
    const c = this.get(structure);
    return c.departed + c.left;
  }
}

export type ReferenceEntityName = 'structure' | 'subject' | 'mef';
/**
 * `held`: a new structure whose UAI an active structure holds (UAI_CONFLICT), not in the directory
 * until an operator approves it (then counted `created` by the approval).
 */
export const REFERENCE_COUNT_NAMES = [
  'created',
  'updated',
  'unchanged',
  'rejected',
  'held',
] as const;
export type ReferenceCounts = Record<(typeof REFERENCE_COUNT_NAMES)[number], number>;

/** Structures, subjects and MEFs: what their records came to, on lines of their own. */
export class ReferenceStats {
  readonly #by: Record<ReferenceEntityName, ReferenceCounts> = {
    structure: zeroReferenceCounts(),
    subject: zeroReferenceCounts(),
    mef: zeroReferenceCounts(),
  };

  add(entity: ReferenceEntityName, name: keyof ReferenceCounts, n = 1): void {
    this.#by[entity][name] += n;
  }

  merge(other: ReferenceStats): void {
    for (const entity of ['structure', 'subject', 'mef'] as const)
      for (const name of REFERENCE_COUNT_NAMES) this.#by[entity][name] += other.#by[entity][name];
  }

  toJSON(): Record<'structures' | 'subjects' | 'mefs', ReferenceCounts> {
    return { structures: this.#by.structure, subjects: this.#by.subject, mefs: this.#by.mef };
  }
}

export function zeroReferenceCounts(): ReferenceCounts {
  return { created: 0, updated: 0, unchanged: 0, rejected: 0, held: 0 };
}
