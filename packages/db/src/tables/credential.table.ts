import type { Generated, Insertable, Selectable } from 'kysely';
import type { Timestamp } from './import.table.js';

export const CREDENTIAL_REASONS = ['initial', 'reset'] as const;
export type CredentialReason = (typeof CREDENTIAL_REASONS)[number];
export const CREDENTIAL_STATES = ['pending', 'set', 'retrieved', 'purged'] as const;
export type CredentialState = (typeof CREDENTIAL_STATES)[number];

/**
 * The last initial password issued for an account on a target (migration 0010). The clear
 * password is only ever stored sealed (`key_id` + `ciphertext`, see packages/credentials) and
 * both are null once purged.
 */
export interface CredentialTable {
  target_id: number;
  person_id: number;
  login: string;
  reason: CredentialReason;
  state: Generated<CredentialState>;
  key_id: string | null;
  ciphertext: Buffer | null;
  created_at: Generated<Date>;
  created_by: string;
  set_at: Timestamp | null;
  retrieved_at: Timestamp | null;
  retrieved_by: string | null;
  purged_at: Timestamp | null;
}

export type Credential = Selectable<CredentialTable>;
export type NewCredential = Insertable<CredentialTable>;
