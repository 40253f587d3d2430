import {
  EVENT_WATERMARK,
  eventWatermark,
  sql,
  type Database,
  type Executor,
  type Kysely,
} from '@aaf-sync/db';
import { eventWindowOf, eventWindowSql } from '@aaf-sync/targets';
import { wantsType } from './event-types.js';
import { project, snapshotCue, type LogEvent, type Projected } from './payload.js';
import { WebhooksErrors } from './errors.js';

/** Entity types of the log a subscription can be told about (see `project`). */
const FOLLOWED = ['person', 'identifier', 'class', 'group', 'membership', 'notice'];

interface Subscription {
  readonly id: number;
  readonly uais: readonly string[];
  readonly options: {
    eventTypes?: string[];
    includePersonalData?: boolean;
    academieWide?: boolean;
  };
}

export interface FillResult {
  readonly targetId: number;
  /** Events read (all types) and the cursor after them. */
  readonly events: number;
  readonly cursor: number;
  /** Delivery rows written. */
  readonly deliveries: number;
}

/**
 * Events in (from, upto] concerning the subscription's establishments, with the person behind
 * each login event; notices concerning no establishment only for an académie-wide subscription.
 */
async function readEvents(
  trx: Executor,
  from: number,
  upto: number,
  sub: Subscription,
): Promise<LogEvent[]> {
  const academie = sub.options.academieWide === true;
  const rows = await sql<{
    seq: string;
    occurred_at: Date;
    entity_type: string;
    entity_key: string;
    op: string;
    version: number;
    uais: string[];
    changes: Record<string, unknown>;
    person_jointure: string | null;
  }>`
    select e.seq, e.occurred_at, e.entity_type, e.entity_key, e.op, e.version, e.uais, e.changes,
      p.jointure as person_jointure
    from change_event e
    left join identifier i on e.entity_type = 'identifier'
      and i.namespace = split_part(e.entity_key, ':', 1)
      and i.value = substr(e.entity_key, strpos(e.entity_key, ':') + 1)
    left join person p on p.id = i.person_id
    where e.seq > ${from} and e.seq <= ${upto}
      and e.entity_type = any(${sql.val(FOLLOWED)}::text[])
      and (e.uais && ${sql.val([...sub.uais])}::text[]
        or (${academie} and e.entity_type = 'notice' and cardinality(e.uais) = 0))
    order by e.seq
  `.execute(trx);
  return rows.rows.map((r) => ({
    seq: Number(r.seq),
    occurredAt: new Date(r.occurred_at),
    entityType: r.entity_type,
    entityKey: r.entity_key,
    op: r.op,
    version: r.version,
    uais: r.uais,
    changes: r.changes ?? {},
    personJointure: r.person_jointure,
  }));
}

/** The deliveries of `events` for the subscription, with a snapshot cue per establishment. */
function deliveriesOf(sub: Subscription, events: readonly LogEvent[], upto: number): Projected[] {
  const out: Projected[] = [];
  const touched = new Set<string>();
  let last: Date | undefined;
  for (const e of events) {
    const p = project(e, sub.uais, sub.options.includePersonalData === true);
    if (!p) continue;
    if (p.payload.data.entity !== 'notice') {
      // A change of accounts, groups or memberships there: the snapshot to pull moved.
      for (const u of p.payload.data.establishments) touched.add(u);
      last = e.occurredAt;
    }
    if (wantsType(sub.options.eventTypes, p.type)) out.push(p);
  }
  if (last && wantsType(sub.options.eventTypes, 'snapshot.published')) {
    for (const uai of [...touched].sort()) out.push(snapshotCue(uai, upto, last));
  }
  return out;
}

/**
 * Writes delivery rows (one JSON parameter); `replay` sets existing ones back to pending. With
 * `cursor`, moves the subscription's cursor there in the same statement (even with no rows).
 */
async function insertDeliveries(
  trx: Executor,
  targetId: number,
  items: readonly Projected[],
  replay: boolean,
  cursor?: number,
): Promise<number> {
  if (items.length === 0 && cursor === undefined) return 0;
  const rows = items.map((p) => ({
    s: p.payload.data.seq,
    t: p.type,
    k: p.orderKey,
    b: JSON.stringify(p.payload),
    o: p.payload.timestamp,
  }));
  const conflict = replay
    ? sql`do update set status = 'pending', attempts = 0, next_attempt_at = now(),
        last_error = null, replayed_at = now()`
    : sql`do nothing`;
  const insert = sql`
    insert into webhook_delivery (target_id, seq, event_type, entity_key, body, occurred_at)
    select ${targetId}, s, t, k, b, o
    from json_to_recordset(${JSON.stringify(rows)}::json)
      as r(s bigint, t text, k text, b text, o timestamptz)
    on conflict (target_id, seq, event_type, entity_key) ${conflict}`;
  if (cursor === undefined) {
    const result = await insert.execute(trx);
    return Number(result.numAffectedRows ?? 0);
  }
  const moved = await sql<{ n: number }>`
    with ins as (${insert} returning 1), moved as (
      update target_consumer set seq = ${cursor}, dispatched_at = ${new Date()}
      where target_id = ${targetId}
    )
    select count(*)::int as n from ins
  `.execute(trx);
  return moved.rows[0]?.n ?? 0;
}

/**
 * The subscription's cursor row locked (`skip locked`: undefined when busy, suspended or not a
 * webhook) with its next window of the log, in one round trip: packages/targets' window
 * statement (`eventWindowSql`) embedded, decided by its rule (`eventWindowOf`: none at the head or
 * when events after the cursor were purged).
 */
async function lockWithWindow(
  trx: Executor,
  targetId: number,
  maxEvents: number,
): Promise<{ sub: Subscription; from: number; upto: number; events: number } | undefined> {
  const rows = await sql<
    Subscription & { seq: string; upto: string | null; n: number; watermark: string | null }
  >`
    with c as (
      select c.seq, t.id, t.uais, t.options from target_consumer c
      join target t on t.id = c.target_id
      where c.target_id = ${targetId} and t.state = 'active' and t.kind = 'webhook'
      for update of c skip locked
    )
    select c.seq, c.id, c.uais, c.options,
      ${EVENT_WATERMARK} as watermark, w.upto, w.n
    from c, lateral (${eventWindowSql(sql`c.seq`, maxEvents)}) w
  `.execute(trx);
  const row = rows.rows[0];
  if (!row) return undefined;
  const from = Number(row.seq);
  const window = eventWindowOf(from, Number(row.watermark ?? 0), row);
  return window && { sub: row, from, ...window };
}

/**
 * Moves one webhook subscription's cursor over at most `maxEvents` events and writes one
 * delivery row per event it follows (its establishments, its event types), plus a
 * `snapshot.published` cue per establishment touched, in one transaction: rows and cursor commit
 * together, so a crash or a Redis flush loses nothing. The consumer row is locked (`skip
 * locked`). Undefined when the subscription is suspended, busy, at the head, or behind the
 * purge watermark (it then needs a reset or a replay). Three statements (lock and window, the
 * events, the rows and the cursor): the fill is on the commit → receipt path of every delivery.
 */
export async function fillOutbox(
  db: Kysely<Database>,
  targetId: number,
  maxEvents = 5_000,
): Promise<FillResult | undefined> {
  return db.transaction().execute(async (trx) => {
    const window = await lockWithWindow(trx, targetId, maxEvents);
    if (!window) return undefined;
    const { sub, from, upto, events } = window;
    const items = deliveriesOf(sub, await readEvents(trx, from, upto, sub), upto);
    const deliveries = await insertDeliveries(trx, targetId, items, false, upto);
    return { targetId, events, cursor: upto, deliveries };
  });
}

/**
 * Sends again every event from `fromSeq` up to the subscription's cursor (events before its
 * creation included, while the log keeps them): existing rows go back to pending (dead letters
 * included), missing ones are written. WEBHOOKS_ERR_REPLAY_TOO_OLD below the purge watermark.
 */
export async function replay(
  db: Kysely<Database>,
  targetId: number,
  fromSeq: number,
): Promise<{ fromSeq: number; upto: number; deliveries: number }> {
  return db.transaction().execute(async (trx) => {
    const consumer = await sql<Subscription & { seq: string }>`
      select c.seq, t.id, t.uais, t.options from target_consumer c join target t on t.id = c.target_id
      where c.target_id = ${targetId} for update of c
    `.execute(trx);
    const sub = consumer.rows[0];
    if (!sub) return { fromSeq, upto: fromSeq - 1, deliveries: 0 };
    const watermark = await eventWatermark(trx);
    if (fromSeq <= watermark) throw WebhooksErrors.REPLAY_TOO_OLD({ watermark, fromSeq });
    const upto = Number(sub.seq);
    let deliveries = 0;
    const step = 5_000;
    for (let from = fromSeq - 1; from < upto; from += step) {
      const to = Math.min(upto, from + step);
      const items = deliveriesOf(sub, await readEvents(trx, from, to, sub), to);
      deliveries += await insertDeliveries(trx, targetId, items, true);
    }
    await sql`select pg_notify(${WEBHOOK_CHANNEL}, ${String(targetId)})`.execute(trx);
    return { fromSeq, upto, deliveries };
  });
}

/** Channel the API notifies when it sets deliveries pending (replay); the runtime listens. */
export const WEBHOOK_CHANNEL = 'aaf_sync_webhook';
