import type { FamilyKey } from './identifier.repository.js';

/** A family counter this transaction holds locked, as it stands in memory. */
interface Held extends FamilyKey {
  /** Indexes handed out so far (the counter's value once written). */
  allocated: number;
  /** What the database row holds now. */
  stored: number;
}

/** A counter whose row must be brought up to `allocated`. */
export interface CounterWrite extends FamilyKey {
  readonly allocated: number;
}

/**
 * The homonym counters one transaction has locked, in memory, the most recently used last.
 * A family is read (and locked) from the database once, by the batch that first names it; the
 * following batches of the same transaction number its members from here, and its row is
 * written once, when it leaves the cache or when the allocator is finished.
 *
 * Why: every update of a row inside one long transaction leaves a version no one can prune
 * before the commit, and the next upsert of that row walks them all. Updating the counters of
 * the common families once per batch made each counter statement of a first import cost more
 * as the import went on (0.07 s per 1,000 rows at 20,000 persons, 0.16 s at 300,000).
 *
 * Bounded: past `limit` families the least recently used ones are dropped (written back when
 * they moved); a family that comes back is read again. Families that recur (common names)
 * stay; the long tail of single-holder families goes through once.
 */
export class HomonymCounters {
  readonly #held = new Map<string, Held>();

  constructor(readonly limit: number) {}

  /** The counter after reserving `count` more indexes, or undefined when not held. */
  take(key: string, count: number): number | undefined {
    const held = this.#held.get(key);
    if (!held) return undefined;
    // most recently used last
    this.#held.delete(key);
    this.#held.set(key, held);
    held.allocated += count;
    return held.allocated;
  }

  /** A counter just read and locked from the database (its row holds `allocated`). */
  hold(key: string, family: FamilyKey, allocated: number): void {
    this.#held.set(key, {
      namespace: family.namespace,
      base: family.base,
      allocated,
      stored: allocated,
    });
  }

  /** Moves a held counter forward (never back), past values skipped as taken. */
  raise(key: string, allocated: number): void {
    const held = this.#held.get(key);
    if (held && allocated > held.allocated) held.allocated = allocated;
  }

  /** Drops the least recently used counters past the limit; those that moved must be written. */
  evict(): CounterWrite[] {
    const writes: CounterWrite[] = [];
    for (const [key, held] of this.#held) {
      if (this.#held.size <= this.limit) break;
      this.#held.delete(key);
      if (held.allocated !== held.stored) writes.push(held);
    }
    return writes;
  }

  /** Every counter that moved since it was written, marked written (the caller writes them). */
  drain(): CounterWrite[] {
    const writes: CounterWrite[] = [];
    for (const held of this.#held.values()) {
      if (held.allocated === held.stored) continue;
      writes.push({ namespace: held.namespace, base: held.base, allocated: held.allocated });
      held.stored = held.allocated;
    }
    return writes;
  }

  get size(): number {
    return this.#held.size;
  }
}
