import { sql, type Database, type Kysely } from '@aaf-sync/db';

/**
 * Deletes delivered outbox rows (and their attempts, by cascade) delivered before `olderThan`,
 * at most `batch` per call. Pending rows and dead letters are kept (a dead letter is replayed or
 * inspected by an operator). The runtime calls it hourly with CHANGES_RETENTION_DAYS.
 */
export async function purgeDelivered(
  db: Kysely<Database>,
  olderThan: Date,
  batch = 10_000,
): Promise<number> {
  const result = await sql`
    delete from webhook_delivery where id in (
      select id from webhook_delivery
      where status = 'delivered' and delivered_at < ${olderThan}
      limit ${batch})
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
