import type { Json, Timestamp } from './import.table.js';

/** One establishment's year transition: done once, with its report. */
export interface YearTransitionTable {
  /** The new school year (N+1), `YYYY-YYYY`. */
  school_year: string;
  uai: string;
  /** The initialisation complete whose apply triggered it. */
  import_id: number | null;
  initialisation_applied_at: Timestamp;
  ran_at: Timestamp;
  report: Json<Record<string, unknown>>;
}
