/**
 * When a failed delivery is tried again: the delay after attempt n (1-based) is
 * `RETRY_SCHEDULE_SECONDS[n - 1]`, spread by ±`jitter` (default 20 %) so that a receiver coming
 * back is not hit by every retry at once. After the last delay's attempt fails, the delivery is a
 * dead letter (kept, replayable). The default spans about three days:
 * the first attempt at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, 14 h, 20 h, 10 h
 * after each failure: 11 attempts, the last ≈ 71.6 h (≈ 3 days, ±20 %) after the first.
 */
export const RETRY_SCHEDULE_SECONDS: readonly number[] = Object.freeze([
  5,
  5 * 60,
  30 * 60,
  2 * 3600,
  5 * 3600,
  10 * 3600,
  10 * 3600,
  14 * 3600,
  20 * 3600,
  10 * 3600,
]);

export interface Backoff {
  /** Milliseconds to wait after `attempts` failed attempts; null when the schedule is spent. */
  delayAfter(attempts: number): number | null;
}

/** A backoff over `schedule` (seconds) with ±`jitter` spread; `random` in [0, 1) for tests. */
export function createBackoff(
  schedule: readonly number[] = RETRY_SCHEDULE_SECONDS,
  jitter = 0.2,
  random: () => number = Math.random,
): Backoff {
  return {
    delayAfter(attempts) {
      const base = schedule[attempts - 1];
      if (base === undefined) return null;
      const spread = 1 + jitter * (2 * random() - 1);
      return Math.max(0, Math.round(base * 1000 * spread));
    },
  };
}
