import { sql, type CalendarTransitionRow, type Executor } from '@aaf-sync/db';

/** Serialises runs of the due transitions across processes (service, CLI). */
export const SCHEDULER_LOCK = 7_310_020;

export async function lockScheduler(trx: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(${SCHEDULER_LOCK})`.execute(trx);
}

/** Ids of the transitions recorded done. */
export async function doneIds(db: Executor): Promise<Set<string>> {
  const rows = await db
    .selectFrom('calendar_transition')
    .select('id')
    .where('done_at', 'is not', null)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Transitions that failed and wait for their next attempt, by id. */
export async function failingRows(db: Executor): Promise<Map<string, CalendarTransitionRow>> {
  const rows = await db
    .selectFrom('calendar_transition')
    .selectAll()
    .where('done_at', 'is', null)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** The row of a transition, locked (created first when absent). */
export async function claimRow(
  trx: Executor,
  t: { id: string; type: string; dueAt: Date; calendarVersion: number; now: Date },
): Promise<CalendarTransitionRow> {
  await trx
    .insertInto('calendar_transition')
    .values({
      id: t.id,
      type: t.type,
      due_at: t.dueAt,
      calendar_version: t.calendarVersion,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return trx
    .selectFrom('calendar_transition')
    .selectAll()
    .where('id', '=', t.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function markDone(
  trx: Executor,
  id: string,
  o: { now: Date; startedAt: Date; outcome: Record<string, unknown>; calendarVersion: number },
): Promise<void> {
  await trx
    .updateTable('calendar_transition')
    .set((eb) => ({
      started_at: o.startedAt,
      done_at: o.now,
      outcome: JSON.stringify(o.outcome),
      attempts: eb('attempts', '+', 1),
      calendar_version: o.calendarVersion,
      next_attempt_at: null,
    }))
    .where('id', '=', id)
    .execute();
}

/** Records a failed attempt (the effect's transaction rolled back) and when to try again. */
export async function markFailed(
  db: Executor,
  t: { id: string; type: string; dueAt: Date; calendarVersion: number },
  o: { attempts: number; error: Record<string, unknown>; nextAttemptAt: Date; startedAt: Date },
): Promise<void> {
  await db
    .insertInto('calendar_transition')
    .values({
      id: t.id,
      type: t.type,
      due_at: t.dueAt,
      calendar_version: t.calendarVersion,
      started_at: o.startedAt,
      attempts: o.attempts,
      last_error: JSON.stringify(o.error),
      next_attempt_at: o.nextAttemptAt,
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        started_at: o.startedAt,
        attempts: o.attempts,
        last_error: JSON.stringify(o.error),
        next_attempt_at: o.nextAttemptAt,
      }),
    )
    .execute();
}

/** Rows of the log, newest due first (`failingOnly`: not done); the CLI, the API, tests. */
export async function listTransitionRows(
  db: Executor,
  limit = 100,
  failingOnly = false,
): Promise<CalendarTransitionRow[]> {
  let q = db.selectFrom('calendar_transition').selectAll();
  if (failingOnly) q = q.where('done_at', 'is', null);
  return q.orderBy('due_at', 'desc').orderBy('id').limit(limit).execute();
}
