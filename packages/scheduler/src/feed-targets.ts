import type { TransitionScope } from '@aaf-sync/calendar';
import { insertAudit, sql, TARGET_KINDS, type Executor, type TargetKind } from '@aaf-sync/db';
import { fullReconcile, OUTBOX_KINDS } from '@aaf-sync/targets';

const SUSPEND_ACTION = 'calendar.target-suspend';
const RESUME_ACTION = 'calendar.target-resume';

/** The audit row of a calendar change of a target: the version it left the target at. */
async function auditByCalendar(
  db: Executor,
  action: typeof SUSPEND_ACTION | typeof RESUME_ACTION,
  t: { readonly name: string; readonly uais: string[] },
  transition: string,
  version: number,
): Promise<void> {
  await insertAudit(db, {
    actor: 'calendar',
    key_id: null,
    request_id: null,
    action,
    method: null,
    path: null,
    status: null,
    uais: t.uais,
    details: JSON.stringify({ target: t.name, transition, version }),
  });
}

/** The targets a feed transition concerns: the named one, or those of its kind not named apart. */
async function targetsInScope(db: Executor, scope: TransitionScope) {
  let q = db.selectFrom('target').selectAll().orderBy('name');
  if (scope.target !== undefined) {
    q = q.where('name', '=', scope.target);
  } else if (scope.consumer && (TARGET_KINDS as readonly string[]).includes(scope.consumer)) {
    q = q.where('kind', '=', scope.consumer as TargetKind);
    if (scope.exceptTargets?.length) q = q.where('name', 'not in', [...scope.exceptTargets]);
  } else {
    return [];
  }
  return q.forUpdate().execute();
}

/**
 * Suspends the active targets of the scope (`target.state` = `suspended`: the dispatcher and the
 * reconcile worker leave them alone), each with an audit row `calendar.target-suspend` that
 * remembers the version it left the target at.
 */
export async function suspendTargets(
  db: Executor,
  scope: TransitionScope,
  transition: string,
): Promise<{ suspended: string[]; alreadySuspended: string[] }> {
  const suspended: string[] = [];
  const alreadySuspended: string[] = [];
  for (const t of await targetsInScope(db, scope)) {
    if (t.state === 'suspended') {
      alreadySuspended.push(t.name);
      continue;
    }
    const row = await db
      .updateTable('target')
      .set((eb) => ({ state: 'suspended', version: eb('version', '+', 1), updated_at: new Date() }))
      .where('id', '=', t.id)
      .returning(['version'])
      .executeTakeFirstOrThrow();
    await auditByCalendar(db, SUSPEND_ACTION, t, transition, row.version);
    suspended.push(t.name);
  }
  return { suspended, alreadySuspended };
}

/**
 * Resumes the targets of the scope that the calendar suspended and nobody changed since (same
 * version as the calendar left them): `active`, and a full reconcile from the directory as it is
 * now (outbox kinds, webhooks, resume where their cursor stopped). A target an operator suspended
 * or changed meanwhile stays as it is (`keptSuspended`).
 */
export async function resumeTargets(
  db: Executor,
  scope: TransitionScope,
  transition: string,
): Promise<{ resumed: string[]; keptSuspended: string[]; reconciledRows: number }> {
  const resumed: string[] = [];
  const keptSuspended: string[] = [];
  let reconciledRows = 0;
  for (const t of await targetsInScope(db, scope)) {
    if (t.state !== 'suspended') continue;
    const last = await db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', 'in', [SUSPEND_ACTION, RESUME_ACTION])
      .where(sql<boolean>`details->>'target' = ${t.name}`)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const byCalendar =
      last?.action === SUSPEND_ACTION && Number(last.details.version) === Number(t.version);
    if (!byCalendar) {
      keptSuspended.push(t.name);
      continue;
    }
    const row = await db
      .updateTable('target')
      .set((eb) => ({ state: 'active', version: eb('version', '+', 1), updated_at: new Date() }))
      .where('id', '=', t.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (!OUTBOX_KINDS.includes(row.kind)) {
      reconciledRows += (await fullReconcile(db, row, { by: 'calendar' })).rows;
    }
    await auditByCalendar(db, RESUME_ACTION, t, transition, row.version);
    resumed.push(t.name);
  }
  return { resumed, keptSuspended, reconciledRows };
}
