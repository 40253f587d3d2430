import { sql, type CalendarVersion, type Executor, type NewCalendarVersion } from '@aaf-sync/db';

/** Serialises writers of the calendar (one transaction-level advisory lock). */
const CALENDAR_WRITE_LOCK = 7_310_013;

export async function lockCalendar(trx: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(${CALENDAR_WRITE_LOCK})`.execute(trx);
}

/** The current (highest) version, or undefined. */
export async function findCurrentVersion(db: Executor): Promise<CalendarVersion | undefined> {
  return db
    .selectFrom('calendar_version')
    .selectAll()
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findVersion(
  db: Executor,
  version: number,
): Promise<CalendarVersion | undefined> {
  return db
    .selectFrom('calendar_version')
    .selectAll()
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function insertVersion(db: Executor, row: NewCalendarVersion): Promise<void> {
  await db
    .insertInto('calendar_version')
    .values({
      ...row,
      document: JSON.stringify(row.document),
      changes: JSON.stringify(row.changes),
    })
    .execute();
}

/** Versions, newest first, without their documents. */
export async function listVersions(db: Executor, limit: number, before?: number) {
  let q = db
    .selectFrom('calendar_version')
    .select(['version', 'changes', 'comment', 'changed_by', 'changed_at'])
    .orderBy('version', 'desc')
    .limit(limit);
  if (before !== undefined) q = q.where('version', '<', before);
  return q.execute();
}

export async function findOverride(db: Executor, uai: string) {
  return db
    .selectFrom('calendar_blocking_override')
    .selectAll()
    .where('uai', '=', uai)
    .executeTakeFirst();
}

export async function listOverrides(db: Executor, uais: readonly string[] | null) {
  let q = db.selectFrom('calendar_blocking_override').selectAll().orderBy('uai');
  if (uais !== null) {
    if (uais.length === 0) return [];
    q = q.where('uai', 'in', uais);
  }
  return q.execute();
}

export async function upsertOverride(
  db: Executor,
  row: {
    uai: string;
    start_at: Date | null;
    end_at: Date | null;
    message: string | null;
    calendar_version: number;
    changed_by: string;
  },
): Promise<void> {
  await db
    .insertInto('calendar_blocking_override')
    .values(row)
    .onConflict((oc) =>
      oc.column('uai').doUpdateSet({
        start_at: row.start_at,
        end_at: row.end_at,
        message: row.message,
        calendar_version: row.calendar_version,
        changed_by: row.changed_by,
        changed_at: sql<Date>`now()`,
      }),
    )
    .execute();
}

export async function deleteOverride(db: Executor, uai: string): Promise<boolean> {
  const r = await db
    .deleteFrom('calendar_blocking_override')
    .where('uai', '=', uai)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
