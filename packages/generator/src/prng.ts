/**
 * A small seeded pseudo-random generator (sfc32) with the helpers the generator needs. Never use
 * Math.random in content: the same seed must give byte-identical output.
 */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number, ...labels: readonly (string | number)[]) {
    const h = hashSeed(seed, labels);
    this.#a = h[0];
    this.#b = h[1];
    this.#c = h[2];
    this.#d = h[3];
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const a = this.#a;
    const b = this.#b;
    const c = this.#c;
    const d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    const r = (c << 21) | (c >>> 11);
    this.#c = (r + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max] (both included). */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** An index drawn from a cumulative weight table (see `cumulative`). */
  weightedIndex(cumulativeWeights: Float64Array): number {
    const total = cumulativeWeights[cumulativeWeights.length - 1] ?? 0;
    const x = this.next() * total;
    let lo = 0;
    let hi = cumulativeWeights.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulativeWeights[mid] ?? 0) > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Picks from `[value, weight]` pairs. */
  weighted<T>(pairs: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of pairs) total += w;
    let x = this.next() * total;
    for (const [value, w] of pairs) {
      x -= w;
      if (x < 0) return value;
    }
    const last = pairs[pairs.length - 1];
    if (!last) throw new RangeError('weighted pick from an empty list');
    return last[0];
  }

  /** Approximately normal (sum of uniforms), clipped to [min, max], rounded. */
  normalInt(mean: number, sd: number, min: number, max: number): number {
    const z = this.next() + this.next() + this.next() + this.next() - 2;
    const v = Math.round(mean + z * sd * 1.732);
    return Math.min(max, Math.max(min, v));
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }
}

/** Cumulative weights for `Rng.weightedIndex`. */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w;
    out[i] = sum;
  });
  return out;
}

function hashSeed(
  seed: number,
  labels: readonly (string | number)[],
): [number, number, number, number] {
  // FNV-1a-like mixing of the seed and the labels into four 32-bit words.
  const text = `${seed}|${labels.join('|')}`;
  const out: [number, number, number, number] = [0x9e3779b9, 0x243f6a88, 0xb7e15162, seed >>> 0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    for (let k = 0; k < 4; k++) {
      out[k] = Math.imul((out[k] as number) ^ (ch + k * 0x45d9f3b), 0x01000193 + k * 2) >>> 0;
      out[k] = ((out[k] as number) ^ ((out[k] as number) >>> 15)) >>> 0;
    }
  }
  return out;
}
