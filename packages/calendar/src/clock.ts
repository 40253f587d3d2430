/**
 * Where "now" comes from. Every function of this package takes its instant as an argument; the
 * clock is for callers (the scheduler, the API, tests) so that a test can run a whole school year
 * in milliseconds without sleeping.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to (tests, `calendar simulate`). */
export interface FakeClock extends Clock {
  set(instant: Date): void;
  advance(ms: number): Date;
}

export function fakeClock(start: Date): FakeClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set(instant) {
      current = instant.getTime();
    },
    advance(ms) {
      current += ms;
      return new Date(current);
    },
  };
}
