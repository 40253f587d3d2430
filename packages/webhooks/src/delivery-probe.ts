/**
 * Optional hooks telling when each delivery passed each stage, for benchmarks and tests (where
 * the commit → receipt time goes). Called synchronously on the hot path: keep them cheap. `at`
 * is `Date.now()` (wall clock, comparable with a receiver's in the same process).
 */
export interface DeliveryProbe {
  /** The outbox holds the deliveries of every event up to `upto` (a fill committed). */
  filled?(upto: number, at: number): void;
  /** Rows claimed (leased) for sending, by seq. */
  claimed?(seqs: readonly number[], at: number): void;
  /** A POST of this row starts. */
  sending?(seq: number, at: number): void;
  /** These rows' attempts were recorded (committed). */
  recorded?(seqs: readonly number[], at: number): void;
}
