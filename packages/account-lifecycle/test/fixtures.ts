import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { allTransitions, fakeClock, type FakeClock, type Transition } from '@aaf-sync/calendar';
import { loadBlockingOverrides, requireCalendar, saveCalendar } from '@aaf-sync/calendar-store';
import { appendEvents, sql, type Database, type Kysely } from '@aaf-sync/db';
import { createLogger } from '@aaf-sync/logger';
import { dispatchTarget } from '@aaf-sync/targets';
import type { EffectContext, NoticeInput } from '@aaf-sync/scheduler';
import type { ScribeWorld } from '../../scribe/test/fixtures.js';

export {
  scribeWorld,
  seedSchool,
  UAI_A,
  UAI_B,
  type ScribeWorld,
} from '../../scribe/test/fixtures.js';

const exampleUrl = new URL('../../calendar/examples/2025-2026.json', import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests edit the raw document
export const example = (): Record<string, any> =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  JSON.parse(readFileSync(exampleUrl, 'utf8')) as Record<string, any>;

const silent = createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));

/** An effect context over a real database, a fake clock, and a notify that records notices. */
export function effectContext(db: Kysely<Database>, start: Date) {
  const clock: FakeClock = fakeClock(start);
  const notices: NoticeInput[] = [];
  const seen = new Set<string>();
  const ctx: EffectContext = {
    db,
    clock,
    log: silent,
    async notify(n) {
      if (seen.has(n.dedupeKey)) return;
      seen.add(n.dedupeKey);
      notices.push(n);
    },
  };
  return { ctx, clock, notices };
}

/** Stores the shipped 2025–2026 example calendar. */
export async function storeExampleCalendar(db: Kysely<Database>): Promise<void> {
  await saveCalendar(db, { document: example(), actor: 'test' });
}

/** The transition of this type and id suffix, computed with the stored overrides. */
export async function transition(
  db: Kysely<Database>,
  type: Transition['type'],
  subject: string,
): Promise<Transition> {
  const { document } = await requireCalendar(db);
  const overrides = await loadBlockingOverrides(db);
  const t = allTransitions(document, { blockingOverrides: overrides, deliveries: false }).find(
    (x) => x.type === type && x.id.endsWith(`/${type}/${subject}`),
  );
  if (!t) throw new Error(`no transition ${type} ${subject}`);
  return t;
}

/** The accessBlocked events written after `seq`, as `jointure:before>after`. */
export async function accessEvents(db: Kysely<Database>, after = 0) {
  const { rows } = await sql<{ entity_key: string; changes: string; actor: string | null }>`
    select entity_key, changes::text as changes, actor from change_event
    where seq > ${after} and entity_type = 'person' and op = 'updated'
      and (changes::jsonb) ? 'accessBlocked' order by seq`.execute(db);
  return rows.map((r) => {
    const c = JSON.parse(r.changes) as { accessBlocked: [boolean, boolean] };
    return `${r.entity_key}:${c.accessBlocked[0]}>${c.accessBlocked[1]}:${r.actor}`;
  });
}

export async function headSeq(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ seq: number | null }>`
    select max(seq) as seq from change_event`.execute(db);
  return Number(rows[0]?.seq ?? 0);
}

/** The events reach the target's rows (dispatcher), then the worker applies them. */
export async function propagate(w: ScribeWorld) {
  await dispatchTarget(w.db, w.target.id);
  return w.sync();
}

/**
 * A departure as the importer writes it: the person departs, leaves its establishments, classes
 * and groups, one `departed` event naming its former establishments. A relative left without a
 * child loses its account (has_account false) the same way.
 */
export async function depart(
  w: ScribeWorld,
  jointure: string,
  uais: string[],
  o: { relativeLosesAccount?: boolean } = {},
) {
  await w.db.transaction().execute(async (trx) => {
    if (o.relativeLosesAccount) {
      await sql`update person set has_account = false, version = version + 1
        where jointure = ${jointure}`.execute(trx);
    } else {
      await sql`update person set state = 'departed', departed_at = now(), version = version + 1
        where jointure = ${jointure}`.execute(trx);
      await sql`delete from membership where person_jointure = ${jointure}`.execute(trx);
    }
    await sql`delete from person_structure where person_jointure = ${jointure}`.execute(trx);
    const v = await sql<{ version: number }>`select version from person
      where jointure = ${jointure}`.execute(trx);
    await appendEvents(trx, [
      {
        entityType: 'person',
        entityKey: jointure,
        op: o.relativeLosesAccount ? 'updated' : 'departed',
        version: v.rows[0]!.version,
        uais,
        changes: o.relativeLosesAccount ? { hasAccount: [true, false] } : {},
      },
    ]);
  });
}
