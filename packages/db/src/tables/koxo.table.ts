import type { Generated, Selectable } from 'kysely';
import type { Timestamp } from './import.table.js';

export const KOXO_SNAPSHOT_STATUSES = ['published', 'held', 'discarded', 'superseded'] as const;
export type KoxoSnapshotStatus = (typeof KOXO_SNAPSHOT_STATUSES)[number];

/** A version of the KoXo files of one establishment on one target (migration 0014). */
export interface KoxoSnapshotTable {
  id: Generated<number>;
  target_id: number;
  uai: string;
  version: number;
  status: KoxoSnapshotStatus;
  event_seq: number;
  generated_at: Timestamp;
  digest: string;
  hold_reason: string | null;
  decided_at: Timestamp | null;
  decided_by: string | null;
}

/** One CSV of a snapshot (one primary group); content sealed by the targets' secret box. */
export interface KoxoFileTable {
  snapshot_id: number;
  name: string;
  primary_group: string;
  rows: number;
  sha256: string;
  jointures: string[];
  content_key_id: string;
  content_ciphertext: Buffer;
}

/** An account a target has published once (its initial password is not sent again). */
export interface KoxoAccountTable {
  target_id: number;
  jointure: string;
  uai: string;
  first_snapshot_id: number;
}

export type KoxoSnapshot = Selectable<KoxoSnapshotTable>;
export type KoxoFile = Selectable<KoxoFileTable>;
