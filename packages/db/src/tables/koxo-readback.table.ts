import type { Generated, Selectable } from 'kysely';
import type { Timestamp } from './import.table.js';

export const KOXO_READBACK_RUN_STATUSES = ['running', 'ok', 'failed'] as const;
export type KoxoReadBackRunStatus = (typeof KOXO_READBACK_RUN_STATUSES)[number];

/** One read-back of a KoXo site's AD (migration 0018). */
export interface KoxoReadBackRunTable {
  id: Generated<number>;
  target_id: number;
  status: KoxoReadBackRunStatus;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  error: string | null;
  counts: Generated<Record<string, number>>;
  unknown: Generated<unknown[]>;
}

/** What the site's AD holds for one account of a target, as last read (migration 0018). */
export interface KoxoReadBackTable {
  target_id: number;
  person_id: number;
  sam_account_name: string | null;
  dn: string | null;
  home_directory: string | null;
  enabled: boolean | null;
  first_seen_at: Timestamp | null;
  seen_at: Timestamp | null;
  missing_runs: Generated<number>;
  missing_since: Timestamp | null;
  run_id: number | null;
}

export type KoxoReadBackRun = Selectable<KoxoReadBackRunTable>;
export type KoxoReadBack = Selectable<KoxoReadBackTable>;
