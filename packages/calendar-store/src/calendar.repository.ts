import {
  sql,
  type CalendarBlockingOverride,
  type CalendarVersion,
  type Executor,
  type NewCalendarVersion,
} from '@aaf-sync/db';

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
  row: Omit<CalendarBlockingOverride, 'changed_at'>,
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

/** Statuses of an import run that applied something. */
const APPLIED = ['applied', 'partially_held'] as const;

/**
 * When the first complete dated `fromDate` or later was applied for the establishment (the
 * initialisation complete of the new year), or undefined.
 */
export async function findFirstCompleteApplied(
  db: Executor,
  uai: string,
  fromDate: string,
): Promise<Date | undefined> {
  const row = await db
    .selectFrom('import_run')
    .select((eb) => eb.fn.min('finished_at').as('at'))
    .where('kind', '=', 'complete')
    .where('status', 'in', APPLIED)
    .where('dry_run', '=', false)
    .where('file_date', '>=', fromDate)
    .where(sql<boolean>`uais_touched @> array[${uai}]::text[]`)
    .executeTakeFirst();
  return row?.at ? new Date(row.at as Date) : undefined;
}

/** Targets serving the establishment (name, kind). */
export async function findTargetsServing(db: Executor, uai: string) {
  return db
    .selectFrom('target')
    .select(['name', 'kind', 'state'])
    .where(sql<boolean>`uais @> array[${uai}]::text[]`)
    .orderBy('name')
    .execute();
}

/** The AAF files received (any import run, whatever its outcome) dated in [from, to]. */
export async function findReceivedFiles(db: Executor, from: string, to: string) {
  return db
    .selectFrom('import_run')
    .select(['kind', 'file_date'])
    .distinct()
    .where('file_date', '>=', from)
    .where('file_date', '<=', to)
    .where('dry_run', '=', false)
    .execute();
}
