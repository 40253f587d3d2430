export const COUNT_NAMES = [
  'created',
  'updated',
  'restored',
  'unchanged',
  'departed',
  'left',
  'membershipsAdded',
  'membershipsRemoved',
  'rejects',
] as const;
export type CountName = (typeof COUNT_NAMES)[number];
export type Counts = Record<CountName, number>;

export function zeroCounts(): Counts {
  return Object.fromEntries(COUNT_NAMES.map((n) => [n, 0])) as Counts;
}

/** Per-establishment counters of a plan. Files count into their own and merge when read whole. */
export class EstablishmentStats {
  readonly #by = new Map<string, Counts>();

  add(structure: string | null, name: CountName, n = 1): void {
    if (!structure || n === 0) return;
    let c = this.#by.get(structure);
    if (!c) this.#by.set(structure, (c = zeroCounts()));
    c[name] += n;
  }

  merge(other: EstablishmentStats): void {
    for (const [structure, counts] of other.#by) {
      for (const name of COUNT_NAMES) this.add(structure, name, counts[name]);
    }
  }

  get(structure: string): Counts {
    return this.#by.get(structure) ?? zeroCounts();
  }

  structures(): string[] {
    return [...this.#by.keys()].sort();
  }

  departures(structure: string): number {
    const c = this.get(structure);
    return c.departed + c.left;
  }
}
