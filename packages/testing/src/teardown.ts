/** The part of a tap Test the helpers need (so plain scripts can pass their own). */
export interface TeardownHost {
  teardown(fn: () => unknown): void;
}

export function randomSuffix(): string {
  return `${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
}
