import type { ApiKey, NewApiKey } from '../tables/api.table.js';
import type { Executor } from '../executor.js';

/** Stores a new key (the caller hashed the secret). */
export async function insertApiKey(db: Executor, key: NewApiKey): Promise<void> {
  await db.insertInto('api_key').values(key).execute();
}

/** The key with this id, revoked or not (the caller decides), or undefined. */
export async function findApiKey(db: Executor, id: string): Promise<ApiKey | undefined> {
  return db.selectFrom('api_key').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every key, newest first, for `aaf-sync keys list`. */
export async function listApiKeys(db: Executor): Promise<ApiKey[]> {
  return db.selectFrom('api_key').selectAll().orderBy('created_at', 'desc').execute();
}

/** Revokes a key; false when no active key has this id. */
export async function revokeApiKey(db: Executor, id: string, by: string): Promise<boolean> {
  const result = await db
    .updateTable('api_key')
    .set({ revoked_at: new Date(), revoked_by: by })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Records that a key was used (callers throttle this: it is a write). */
export async function touchApiKey(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('api_key').set({ last_used_at: at }).where('id', '=', id).execute();
}
