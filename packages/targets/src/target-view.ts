import type { Target, TargetKind, TargetState } from '@aaf-sync/db';

/** A target as shown to operators and the API: never its secrets, only whether it has some. */
export interface TargetView {
  readonly id: number;
  readonly name: string;
  readonly kind: TargetKind;
  readonly uais: readonly string[];
  readonly options: Readonly<Record<string, unknown>>;
  readonly state: TargetState;
  readonly hasSecrets: boolean;
  readonly secretsKeyId: string | null;
  readonly version: number;
  readonly cursor: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly createdBy: string;
}

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

export function toTargetView(t: Target, cursor: number | null): TargetView {
  return {
    id: Number(t.id),
    name: t.name,
    kind: t.kind,
    uais: t.uais,
    options: t.options,
    state: t.state,
    hasSecrets: t.secrets_ciphertext !== null,
    secretsKeyId: t.secrets_key_id,
    version: t.version,
    cursor,
    createdAt: iso(t.created_at),
    updatedAt: iso(t.updated_at),
    createdBy: t.created_by,
  };
}
