import { eventWatermark, sql, type Executor, type TargetKind } from '@aaf-sync/db';
import { OUTBOX_KINDS } from './kinds.js';

/**
 * The highest committed `seq` of the event log; when a purge emptied the log, its watermark
 * (0 when nothing was ever written).
 */
export async function eventHead(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('change_event')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return Math.max(Number(row?.seq ?? 0), await eventWatermark(db));
}

/**
 * Puts the target's cursor at the head of the log and every account it should hold, or holds,
 * back to pending: the target is reconciled in full from the directory as it is now. The head is
 * read first, so an event committed meanwhile is still dispatched after it. Call it in a
 * transaction (creation, a change of establishments, resumption, reset).
 */
export async function fullReconcile(
  trx: Executor,
  target: { id: number; uais: readonly string[]; kind?: TargetKind },
  reset?: { by: string },
): Promise<{ cursor: number; rows: number }> {
  const cursor = await eventHead(trx);
  if (target.kind !== undefined && OUTBOX_KINDS.includes(target.kind)) {
    // An outbox kind has no provisioning rows: its cursor starts at the head and then keeps its
    // place (a change of establishments or a resumption skips nothing); a reset moves it.
    const insert = trx.insertInto('target_consumer').values({ target_id: target.id, seq: cursor });
    await (
      reset
        ? insert.onConflict((oc) =>
            oc.column('target_id').doUpdateSet({
              seq: cursor,
              reset_at: new Date(),
              reset_by: reset.by,
            }),
          )
        : insert.onConflict((oc) => oc.column('target_id').doNothing())
    ).execute();
    const row = await trx
      .selectFrom('target_consumer')
      .select('seq')
      .where('target_id', '=', target.id)
      .executeTakeFirstOrThrow();
    return { cursor: Number(row.seq), rows: 0 };
  }
  await trx
    .insertInto('target_consumer')
    .values({ target_id: target.id, seq: cursor })
    .onConflict((oc) => oc.column('target_id').doUpdateSet({ seq: cursor }))
    .execute();
  if (reset) {
    await trx
      .updateTable('target_consumer')
      .set({ reset_at: new Date(), reset_by: reset.by })
      .where('target_id', '=', target.id)
      .execute();
  }
  const bumped = await sql`
    update provisioning set desired_version = desired_version + 1, status = 'pending',
      attempts = 0, next_attempt_at = now(), last_error = null, updated_at = now()
    where target_id = ${target.id}
  `.execute(trx);
  const added = await sql`
    insert into provisioning (target_id, person_id)
    select ${target.id}, p.id from person p
    where p.state = 'active'
      and exists (select 1 from person_structure ps
        join structure s on s.jointure = ps.structure_jointure
        where ps.person_jointure = p.jointure and s.uai = any(${sql.val([...target.uais])}::text[]))
    on conflict (target_id, person_id) do nothing
  `.execute(trx);
  return {
    cursor,
    rows: Number(bumped.numAffectedRows ?? 0) + Number(added.numAffectedRows ?? 0),
  };
}
