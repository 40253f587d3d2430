import { UAI_PATTERN } from '@aaf-sync/aaf';
import {
  findApiKey,
  insertApiKey,
  insertAudit,
  listApiKeys,
  revokeApiKey,
  type ApiKey,
  type Executor,
  type Kysely,
  type Database,
} from '@aaf-sync/db';
import { KeysErrors } from './errors.js';
import { generateApiKey, parseApiKey, secretMatches } from './token.js';
import { isApiScope, type ApiScope } from './scopes.js';

export interface CreateApiKeyInput {
  readonly name: string;
  readonly scopes: readonly string[];
  /** Restrict the key to these establishments; null or absent: every establishment. */
  readonly uais?: readonly string[] | null;
  /** Who creates it (audit), e.g. `cli:alice`. */
  readonly actor: string;
}

/** Who presented a valid key (the API's principal). */
export interface ApiKeyPrincipal {
  readonly keyId: string;
  readonly name: string;
  readonly scopes: ReadonlySet<ApiScope>;
  /** null: every establishment; otherwise the UAIs the key is restricted to. */
  readonly uais: readonly string[] | null;
}

/** A key as operators see it (never its secret or hash). */
export interface ApiKeyInfo {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly uais: readonly string[] | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

function toInfo(row: ApiKey): ApiKeyInfo {
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    uais: row.uais,
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by,
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}

function validate(input: CreateApiKeyInput): { scopes: ApiScope[]; uais: string[] | null } {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 100) {
    throw KeysErrors.SPEC({ problem: 'the name must have 1 to 100 characters' });
  }
  const unknown = input.scopes.filter((s) => !isApiScope(s));
  if (input.scopes.length === 0 || unknown.length > 0) {
    throw KeysErrors.SPEC({
      problem: unknown.length ? `unknown scope(s) ${unknown.join(', ')}` : 'no scope given',
    });
  }
  const uais = input.uais ?? null;
  if (uais !== null) {
    const bad = uais.filter((u) => !UAI_PATTERN.test(u));
    if (uais.length === 0 || bad.length > 0) {
      throw KeysErrors.SPEC({
        problem: bad.length ? `malformed UAI(s) ${bad.join(', ')}` : 'an empty UAI list',
      });
    }
  }
  return {
    scopes: [...new Set(input.scopes as ApiScope[])],
    uais: uais === null ? null : [...new Set(uais)].sort(),
  };
}

/**
 * Creates a key and records it in the audit log. The returned `token` is the only copy of the
 * secret: show it once. Throws KEYS_ERR_SPEC on a bad name, scope or UAI.
 *
 * @example
 * const { token } = await createApiKey(db, { name: 'ent-x', scopes: ['changes:read'], actor: 'cli:ops' });
 */
export async function createApiKey(
  db: Kysely<Database>,
  input: CreateApiKeyInput,
): Promise<{ key: ApiKeyInfo; token: string }> {
  const { scopes, uais } = validate(input);
  const generated = generateApiKey();
  await db.transaction().execute(async (trx) => {
    await insertApiKey(trx, {
      id: generated.id,
      name: input.name.trim(),
      scopes,
      uais,
      secret_sha256: generated.secretSha256,
      created_by: input.actor,
    });
    await insertAudit(trx, {
      actor: input.actor,
      key_id: generated.id,
      action: 'keys.create',
      uais: uais ?? [],
      details: { name: input.name.trim(), scopes },
    });
  });
  const row = await findApiKey(db, generated.id);
  return { key: toInfo(row!), token: generated.token };
}

/** Every key (active and revoked), newest first. */
export async function listApiKeyInfos(db: Executor): Promise<ApiKeyInfo[]> {
  return (await listApiKeys(db)).map(toInfo);
}

/** Revokes a key (audited); false when no active key has this id. */
export async function revokeApiKeyById(
  db: Kysely<Database>,
  id: string,
  actor: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const done = await revokeApiKey(trx, id, actor);
    if (done) await insertAudit(trx, { actor, key_id: id, action: 'keys.revoke' });
    return done;
  });
}

/**
 * The principal of a presented key, or null when the key is malformed, unknown, revoked or its
 * secret does not match (callers answer all of these the same way: 401).
 */
export async function authenticate(db: Executor, token: string): Promise<ApiKeyPrincipal | null> {
  const parsed = parseApiKey(token);
  if (!parsed) return null;
  const row = await findApiKey(db, parsed.id);
  if (!row || row.revoked_at !== null || !secretMatches(parsed.secret, row.secret_sha256)) {
    return null;
  }
  return {
    keyId: row.id,
    name: row.name,
    scopes: new Set(row.scopes.filter(isApiScope)),
    uais: row.uais,
  };
}
