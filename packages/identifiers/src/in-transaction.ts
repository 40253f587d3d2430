import {
  EVENT_WRITER_LOCK,
  sql,
  type Database,
  type Executor,
  type Transaction,
} from '@aaf-sync/db';

/** Runs `fn` in the caller's transaction, or in a new one when given a plain connection pool. */
export async function inTransaction<T>(
  db: Executor,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<Database>);
  return db.transaction().execute(fn);
}

/**
 * Takes the event-log lock (the one `appendEvents` takes) at the start of a change, before any
 * row lock: every writer of identifier events then locks in the same order (event log first,
 * then counters or identifier rows), so two of them cannot deadlock. Held until the end of the
 * transaction; taking it again later is free.
 */
export async function lockEventLog(trx: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(${EVENT_WRITER_LOCK})`.execute(trx);
}
