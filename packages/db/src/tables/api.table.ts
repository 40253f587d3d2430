import type { Generated, Insertable, Selectable } from 'kysely';
import type { JsonDefault, Timestamp } from './import.table.js';

/** An API key: the secret is never stored, only its sha256 (32 random bytes: no need to stretch). */
export interface ApiKeyTable {
  id: string;
  name: string;
  scopes: string[];
  /** null: every establishment; otherwise the UAIs the key is restricted to. */
  uais: string[] | null;
  secret_sha256: Buffer;
  created_at: Generated<Date>;
  created_by: string;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}

/** One row per write through the API or an operator command, whatever its outcome. */
export interface AuditLogTable {
  id: Generated<number>;
  occurred_at: Generated<Date>;
  /** `key:<id>` for API keys, `cli:<user>` for operator commands. */
  actor: string;
  key_id: string | null;
  request_id: string | null;
  /** A stable verb, e.g. `imports.submit`, `plans.approve`, `keys.create`. */
  action: string;
  method: string | null;
  path: string | null;
  status: number | null;
  uais: Generated<string[]>;
  details: JsonDefault<Record<string, unknown>>;
}

/** One row per purge of the change log; the watermark is `max(through_seq)`. */
export interface ChangeEventPurgeTable {
  id: Generated<number>;
  purged_at: Generated<Date>;
  through_seq: number;
  older_than: Timestamp;
  deleted: number | null;
  actor: string;
}

export type ApiKey = Selectable<ApiKeyTable>;
export type NewApiKey = Insertable<ApiKeyTable>;
export type AuditLog = Selectable<AuditLogTable>;
export type NewAuditLog = Insertable<AuditLogTable>;
export type ChangeEventPurge = Selectable<ChangeEventPurgeTable>;
