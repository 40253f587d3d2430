import { sql, type Database, type Kysely } from '@aaf-sync/db';
import { IngestErrors } from '../errors.js';

/** Advisory lock id held by the process applying an import (one at a time per database). */
export const INGEST_LOCK = 7_310_200;

/**
 * Runs `fn` while holding the import lock on a dedicated connection; waits up to `waitMs` for a
 * running import to finish, then fails with INGEST_ERR_IMPORT_BUSY.
 */
export async function withIngestLock<T>(
  db: Kysely<Database>,
  waitMs: number,
  fn: () => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`select set_config('lock_timeout', ${`${waitMs}ms`}, false)`.execute(conn);
    try {
      await sql`select pg_advisory_lock(${INGEST_LOCK})`.execute(conn);
    } catch (err) {
      if ((err as { code?: string }).code === '55P03')
        throw IngestErrors.IMPORT_BUSY({}, { cause: err });
      throw err;
    } finally {
      await sql`select set_config('lock_timeout', '0', false)`.execute(conn);
    }
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock(${INGEST_LOCK})`.execute(conn);
    }
  });
}
