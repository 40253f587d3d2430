import { sql, type Database, type Kysely } from '@aaf-sync/db';
import { nextEventWindow } from './event-window.js';
import { OUTBOX_KINDS } from './kinds.js';

export interface DispatchResult {
  readonly targetId: number;
  /** Events read (all entity types) and the cursor after them. */
  readonly events: number;
  readonly cursor: number;
  /** Provisioning rows created or set back to pending. */
  readonly rows: number;
}

/**
 * Moves one target's cursor over at most `maxEvents` events and turns the events about persons
 * among them into provisioning rows, in one transaction: a row per account whose events name one
 * of the target's establishments (before or after the change) or that the target already has.
 * Events about persons: the person, its identifiers, its links (memberships, teaching, relative
 * links, functions…), and for a relative, any of these about a pupil it is linked to (its entry
 * names the pupil's). `desired_version` grows by the number of events about the account.
 * The consumer row is locked (`skip locked`): a concurrent dispatcher skips the target.
 * Resolves to undefined when the target is suspended, busy elsewhere, already at the head, or
 * behind the purge watermark (it then needs a reset), and for outbox kinds (webhooks), which
 * packages/webhooks dispatches into its own outbox.
 */
export async function dispatchTarget(
  db: Kysely<Database>,
  targetId: number,
  maxEvents = 10_000,
): Promise<DispatchResult | undefined> {
  return db.transaction().execute(async (trx) => {
    const consumer = await sql<{ seq: number; uais: string[] }>`
      select c.seq, t.uais from target_consumer c join target t on t.id = c.target_id
      where c.target_id = ${targetId} and t.state = 'active'
        and t.kind <> all(${sql.val([...OUTBOX_KINDS])}::text[])
      for update of c skip locked
    `.execute(trx);
    const row = consumer.rows[0];
    if (!row) return undefined;
    const from = Number(row.seq);
    const window = await nextEventWindow(trx, from, maxEvents);
    if (!window) return undefined;
    const { upto, events } = window;
    const uais = sql.val(row.uais);
    const result = await sql`
      with own as (
        select p.id as person_id, count(*)::int as n, bool_or(e.uais && ${uais}::text[]) as touches
        from change_event e join person p on p.jointure = e.entity_key
        where e.seq > ${from} and e.seq <= ${upto} and e.entity_type = 'person'
        group by p.id
        union all
        select i.person_id, count(*)::int, bool_or(e.uais && ${uais}::text[])
        from change_event e join identifier i
          on i.namespace = split_part(e.entity_key, ':', 1)
          and i.value = substr(e.entity_key, strpos(e.entity_key, ':') + 1)
        where e.seq > ${from} and e.seq <= ${upto} and e.entity_type = 'identifier'
        group by i.person_id
        union all
        -- A person's links: memberships (key ends with |<person>), a relative's link to a pupil
        -- (<pupil>|<relative>), teaching, head teacher, functions, direction (<person>|…).
        select p.id, count(*)::int, bool_or(e.uais && ${uais}::text[])
        from change_event e join person p on p.jointure = case e.entity_type
          when 'membership' then
            substr(e.entity_key, length(e.entity_key) - strpos(reverse(e.entity_key), '|') + 2)
          when 'relative_link' then split_part(e.entity_key, '|', 2)
          else split_part(e.entity_key, '|', 1) end
        where e.seq > ${from} and e.seq <= ${upto} and e.entity_type in ('membership',
          'relative_link', 'teaching_link', 'head_teacher', 'person_function', 'direction')
        group by p.id
      ), ev as (
        select person_id, n, touches from own
        union all
        -- A pupil's change reaches the entries of its relatives (they name the pupil's entry).
        select r.id, o.n, o.touches from own o
        join person pu on pu.id = o.person_id and pu.category = 'pupil'
        join relative_link rl on rl.pupil_jointure = pu.jointure
        join person r on r.jointure = rl.relative_jointure
      ), hit as (
        select ev.person_id, sum(ev.n)::int as n from ev
        where ev.touches or exists (select 1 from provisioning r
          where r.target_id = ${targetId} and r.person_id = ev.person_id)
        group by ev.person_id
      )
      insert into provisioning as r (target_id, person_id, desired_version)
      select ${targetId}, person_id, n from hit
      on conflict (target_id, person_id) do update
        set desired_version = r.desired_version + excluded.desired_version, status = 'pending',
          attempts = 0, next_attempt_at = now(), last_error = null, updated_at = now()
    `.execute(trx);
    await trx
      .updateTable('target_consumer')
      .set({ seq: upto, dispatched_at: new Date() })
      .where('target_id', '=', targetId)
      .execute();
    return { targetId, events, cursor: upto, rows: Number(result.numAffectedRows ?? 0) };
  });
}

/** Dispatches every active target until each reaches the head of the log. */
export async function dispatchAll(
  db: Kysely<Database>,
  maxEvents = 10_000,
): Promise<DispatchResult[]> {
  const targets = await db
    .selectFrom('target')
    .select('id')
    .where('state', '=', 'active')
    .where('kind', 'not in', [...OUTBOX_KINDS])
    .orderBy('id')
    .execute();
  const results: DispatchResult[] = [];
  for (const { id } of targets) {
    for (;;) {
      const r = await dispatchTarget(db, Number(id), maxEvents);
      if (!r) break;
      results.push(r);
      if (r.events < maxEvents) break;
    }
  }
  return results;
}
