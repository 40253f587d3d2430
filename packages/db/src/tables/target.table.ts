import type { Generated, Selectable } from 'kysely';
import type { Timestamp } from './import.table.js';

export const TARGET_KINDS = ['noop', 'scribe', 'koxo', 'ad', 'webhook'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
export const TARGET_STATES = ['active', 'suspended'] as const;
export type TargetState = (typeof TARGET_STATES)[number];
/** What a POSIX number of an LDAP target belongs to (`posix_id`, `posix_counter`). */
export const POSIX_KINDS = ['user', 'group'] as const;
export type PosixKind = (typeof POSIX_KINDS)[number];
export const PROVISIONING_STATUSES = ['pending', 'applied', 'failed', 'excluded'] as const;
export type ProvisioningStatus = (typeof PROVISIONING_STATUSES)[number];

/** A system that receives accounts (migration 0006); secrets are encrypted by packages/targets. */
export interface TargetTable {
  id: Generated<number>;
  name: string;
  kind: TargetKind;
  uais: string[];
  options: Record<string, unknown>;
  secrets_key_id: string | null;
  secrets_ciphertext: Buffer | null;
  state: Generated<TargetState>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  created_by: string;
}

/** A target's cursor in the event log: every event with `seq <= seq` was dispatched. */
export interface TargetConsumerTable {
  target_id: number;
  seq: number;
  dispatched_at: Timestamp | null;
  reset_at: Timestamp | null;
  reset_by: string | null;
  /** The worker's last batch (migration 0008): when it ended, how long it took, its rows. */
  batch_at: Timestamp | null;
  batch_seconds: number | null;
  batch_size: number | null;
  /** When a batch last applied (or removed) something on the target. */
  applied_at: Timestamp | null;
}

/** One row per (account, target): what should be there, what was applied, and retries. */
export interface ProvisioningTable {
  target_id: number;
  person_id: number;
  desired_version: Generated<number>;
  applied_version: number | null;
  status: Generated<ProvisioningStatus>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_error: string | null;
  target_key: string | null;
  present: Generated<boolean>;
  /**
   * Set by a deletion campaign (migration 0023): the target should delete what it holds for the
   * account, not merely disable it. Cleared when the account is provisioned again.
   */
  purge: Generated<boolean>;
  updated_at: Generated<Date>;
  /** When the row was last applied or excluded (migration 0008). */
  applied_at: Timestamp | null;
}

export type Target = Selectable<TargetTable>;
export type TargetConsumer = Selectable<TargetConsumerTable>;
export type Provisioning = Selectable<ProvisioningTable>;
