import { insertAudit, sql, type Database, type Kysely } from '@aaf-sync/db';
import { CredentialsErrors } from './errors.js';

/**
 * The last school-year end at or before `now`: `yearEnd` (MM-DD, CREDENTIALS_YEAR_END) of this
 * year if already reached, else of last year, at 00:00 UTC.
 */
export function lastYearEnd(now: Date, yearEnd: string): Date {
  const m = /^(\d{2})-(\d{2})$/.exec(yearEnd);
  if (!m) throw CredentialsErrors.INVALID({ problem: `year end ${yearEnd} is not MM-DD` });
  const at = (year: number) => new Date(Date.UTC(year, Number(m[1]) - 1, Number(m[2])));
  const thisYear = at(now.getUTCFullYear());
  return thisYear.getTime() <= now.getTime() ? thisYear : at(now.getUTCFullYear() - 1);
}

/**
 * Erases the clear copy of every initial password issued before `before` (whatever its state:
 * a password still pending then is stale too), keeping the row (login, dates, who retrieved it).
 * One `audit_log` row `credentials.purge` with the count. Resolves to the rows purged.
 */
export async function purgeCredentials(
  db: Kysely<Database>,
  input: { before: Date; actor: string },
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('credential')
      .set({ state: 'purged', key_id: null, ciphertext: null, purged_at: sql`now()` })
      .where('state', '<>', 'purged')
      .where('created_at', '<', input.before)
      .executeTakeFirst();
    const purged = Number(result.numUpdatedRows);
    await insertAudit(trx, {
      actor: input.actor,
      key_id: null,
      request_id: null,
      action: 'credentials.purge',
      method: null,
      path: null,
      status: null,
      details: { before: input.before.toISOString(), purged },
    });
    return purged;
  });
}
