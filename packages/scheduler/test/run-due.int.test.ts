import { fakeClock, type Transition } from '@aaf-sync/calendar';
import { testDb } from '@aaf-sync/testing';
import t from 'tap';
import {
  listNotices,
  markNoticeRead,
  recordNotice,
  runDue,
  SchedulerErrors,
  type EffectContext,
  type EffectRegistry,
} from '../src/index.js';
import { paris, silentLog, storeCalendar } from './helpers.js';

t.test(
  'a failing effect rolls back, is retried with backoff and reported; others still run',
  async (t) => {
    const { db } = await testDb(t);
    await storeCalendar(db);
    const clock = fakeClock(paris('2025-07-04T03:00'));
    let failures = 1;
    const seen: string[] = [];
    const effects: EffectRegistry = {
      'feed.suspend': async (ctx: EffectContext, tr: Transition) => {
        seen.push(tr.id);
        // The notice is written in the transition's transaction: rolled back with a failure.
        await ctx.notify({
          kind: 'test.suspend',
          uais: [],
          title: tr.id,
          body: '',
          dedupeKey: tr.id,
        });
        if (tr.id.endsWith('/directory') && failures-- > 0) throw new Error('disk full');
        return { summary: 'ok' };
      },
    };
    const deps = { db, clock, log: silentLog, effects, retryBaseMs: 60_000 };
    const first = await runDue(deps);
    t.match(first.failed, [
      { id: '2025-2026/feed.suspend/directory', error: 'disk full', attempts: 1 },
    ]);
    t.equal(first.failed[0]!.nextAttemptAt.toISOString(), paris('2025-07-04T03:01').toISOString());
    t.ok(first.ran.length >= 6, 'the other suspensions still ran');
    const row = await db
      .selectFrom('calendar_transition')
      .selectAll()
      .where('id', '=', '2025-2026/feed.suspend/directory')
      .executeTakeFirstOrThrow();
    t.match(row, { done_at: null, attempts: 1, last_error: { message: 'disk full' } });
    t.notOk(
      await db
        .selectFrom('notice')
        .select('id')
        .where('dedupe_key', '=', '2025-2026/feed.suspend/directory')
        .executeTakeFirst(),
      'what the failed effect wrote was rolled back',
    );
    const failedNotice = await db
      .selectFrom('notice')
      .selectAll()
      .where('kind', '=', 'scheduler.transition-failed')
      .execute();
    t.equal(failedNotice.length, 1, 'the failure is announced once');

    clock.advance(30_000);
    const early = await runDue(deps);
    t.same(early.waiting, ['2025-2026/feed.suspend/directory'], 'not retried before its backoff');
    t.same(early.ran, []);

    clock.advance(31_000);
    const retry = await runDue(deps);
    t.same(
      retry.ran.map((r) => r.id),
      ['2025-2026/feed.suspend/directory'],
    );
    const done = await db
      .selectFrom('calendar_transition')
      .selectAll()
      .where('id', '=', '2025-2026/feed.suspend/directory')
      .executeTakeFirstOrThrow();
    t.match(done, { attempts: 2, outcome: { summary: 'ok' } });
    t.ok(done.done_at);
    t.same((await runDue(deps)).ran, [], 'done is done');
  },
);

t.test(
  'notices: idempotent on their dedupe key, scoped inbox, manager inbox, read marks',
  async (t) => {
    const { db } = await testDb(t);
    const A = '0860001A';
    const B = '0860002B';
    const one = await recordNotice(db, {
      kind: 'groups.warning',
      uais: [A],
      managers: [7, 8],
      title: 'Your groups will be deleted',
      body: 'Extend them before 15 July.',
      data: { groups: ['g1'] },
      dedupeKey: 'w1/7',
    });
    const again = await recordNotice(db, {
      kind: 'groups.warning',
      uais: [A],
      title: 'x',
      body: 'y',
      dedupeKey: 'w1/7',
    });
    t.same(again, { id: one.id, created: false });
    await recordNotice(db, {
      kind: 'delivery.missing',
      uais: [],
      title: 'Missing',
      body: '',
      dedupeKey: 'd1',
    });
    await recordNotice(db, {
      kind: 'campaign.preview',
      uais: [B],
      title: 'B',
      body: '',
      dedupeKey: 'c1',
    });
    const events = await db
      .selectFrom('change_event')
      .selectAll()
      .where('entity_type', '=', 'notice')
      .orderBy('seq')
      .execute();
    t.equal(events.length, 3, 'one notice.created event per notice');
    t.match(events[0], {
      entity_key: String(one.id),
      op: 'created',
      uais: [A],
      actor: 'calendar',
      changes: { kind: 'groups.warning', title: 'Your groups will be deleted', managers: [7, 8] },
    });
    await t.rejects(
      recordNotice(db, { kind: 'Bad Kind', uais: [], title: 't', body: '', dedupeKey: 'z' }),
      { code: SchedulerErrors.INVALID_NOTICE.code },
    );

    const all = await listNotices(db, { uais: null, reader: 'key:admin', limit: 10 });
    t.same(
      all.map((n) => n.kind),
      ['campaign.preview', 'delivery.missing', 'groups.warning'],
    );
    const scoped = await listNotices(db, { uais: [A], reader: 'key:a', limit: 10 });
    t.same(
      scoped.map((n) => n.id),
      [one.id],
      'a scoped key sees the notices of its establishments only',
    );
    const manager = await listNotices(db, {
      uais: null,
      manager: 8,
      reader: 'manager:8',
      limit: 10,
    });
    t.same(
      manager.map((n) => n.id),
      [one.id],
    );
    const page = await listNotices(db, { uais: null, reader: 'key:admin', limit: 1 });
    t.equal(page.length, 2, 'limit + 1 rows: the caller knows another page follows');
    const next = await listNotices(db, {
      uais: null,
      reader: 'key:admin',
      limit: 5,
      before: page[0]!.id,
    });
    t.equal(next.length, 2);

    await t.rejects(markNoticeRead(db, one.id, { reader: 'key:b', uais: [B] }), {
      code: SchedulerErrors.NOTICE_NOT_FOUND.code,
    });
    const read = await markNoticeRead(db, one.id, { reader: 'manager:8', uais: null, manager: 8 });
    t.ok(read.readAt);
    const reread = await markNoticeRead(db, one.id, {
      reader: 'manager:8',
      uais: null,
      manager: 8,
    });
    t.same(reread.readAt, read.readAt, 'the first reading is kept');
    t.same(
      (
        await listNotices(db, {
          uais: null,
          manager: 8,
          reader: 'manager:8',
          limit: 10,
          unreadOnly: true,
        })
      ).length,
      0,
    );
    t.same(
      (
        await listNotices(db, {
          uais: null,
          manager: 7,
          reader: 'manager:7',
          limit: 10,
          unreadOnly: true,
        })
      ).length,
      1,
      'read marks are per reader',
    );
  },
);
