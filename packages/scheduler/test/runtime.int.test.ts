import { fakeClock } from '@aaf-sync/calendar';
import { saveCalendar } from '@aaf-sync/calendar-store';
import { testDb, testRedis, within } from '@aaf-sync/testing';
import t from 'tap';
import {
  createSchedulerRuntime,
  dueJobId,
  TICK_SCHEDULER_ID,
  type EffectRegistry,
} from '../src/index.js';
import { example, paris, silentLog, storeCalendar } from './helpers.js';

const quiet: EffectRegistry = {
  'feed.suspend': async () => ({ summary: 'ok' }),
  'delivery.due': async () => ({ summary: 'ok' }),
};

t.test(
  'jobs: a delayed job at the next transition, a repeatable tick, rebuilt after a Redis flush, re-planned on a calendar change',
  async (t) => {
    const { db } = await testDb(t);
    const redis = await testRedis(t);
    await storeCalendar(db);
    const clock = fakeClock(paris('2025-07-03T08:00'));
    const runtime = createSchedulerRuntime({
      db,
      clock,
      log: silentLog,
      effects: quiet,
      connection: redis.connect(),
      prefix: redis.prefix,
      tickMs: 3_600_000,
    });
    t.teardown(() => runtime.close());

    const plan = await runtime.plan();
    // The deadline of 2 July's delta (3 July 07:00) is past: due now (the start job, the tick),
    // not planned; the next future transition is the suspension.
    t.match(plan.next, { id: '2025-2026/feed.suspend/directory' });
    const ran = await runtime.runNow();
    t.ok(ran.ran.some((r) => r.id === '2025-2026/delivery.due/delta/2025-07-02'));
    const planned = await runtime.plan();
    t.match(planned.next, {
      id: '2025-2026/feed.suspend/directory',
      at: paris('2025-07-04T00:00'),
    });
    const delayed = await runtime.queue.getDelayed();
    t.same(
      delayed.map((j) => j.id),
      [planned.jobId],
      'one delayed job, at the next transition',
    );
    t.equal(delayed[0]!.opts.delay, paris('2025-07-04T00:00').getTime() - clock.now().getTime());
    const schedulers = await runtime.queue.getJobSchedulers();
    t.same(
      schedulers.map((s) => s.key),
      [TICK_SCHEDULER_ID],
      'the repeatable tick',
    );

    // Redis loses everything: the jobs are rebuilt from PostgreSQL.
    const keys = await redis.redis.keys(`${redis.prefix}*`);
    await redis.redis.del(...keys);
    t.same(await runtime.queue.getDelayed(), []);
    const rebuilt = await runtime.plan();
    t.equal(rebuilt.jobId, planned.jobId);
    t.same(
      (await runtime.queue.getDelayed()).map((j) => j.id),
      [planned.jobId],
    );
    t.same(
      (await runtime.queue.getJobSchedulers()).map((s) => s.key),
      [TICK_SCHEDULER_ID],
    );

    // A new calendar version moves the suspension: the delayed job follows.
    const moved = example();
    moved.feed.directory.suspendFrom = '2025-07-03T20:00';
    await saveCalendar(db, { document: moved, actor: 'cli:test' });
    const replanned = await runtime.plan();
    t.equal(
      replanned.jobId,
      dueJobId('2025-2026/feed.suspend/directory', paris('2025-07-03T20:00')),
    );
    t.same(
      (await runtime.queue.getDelayed()).map((j) => j.id),
      [replanned.jobId],
      'the stale job is gone',
    );
  },
);

t.test(
  'the worker runs what is due when it starts (missed while down), then plans the next',
  async (t) => {
    const { db } = await testDb(t);
    const redis = await testRedis(t);
    await storeCalendar(db);
    const clock = fakeClock(paris('2025-07-04T03:00'));
    let suspended!: () => void;
    const ran = new Promise<void>((resolve) => (suspended = resolve));
    const runtime = createSchedulerRuntime({
      db,
      clock,
      log: silentLog,
      effects: {
        ...quiet,
        'feed.suspend': async () => {
          suspended();
          return { summary: 'ok' };
        },
      },
      connection: redis.connect(),
      prefix: redis.prefix,
      tickMs: 3_600_000,
    });
    t.teardown(() => runtime.close());
    await runtime.start();
    await within('the start job running the suspension', ran, 20_000);
    // Closing lets the running job finish: its done mark is committed with the effect.
    t.ok(await runtime.close(), 'closes in time');
    const row = await db
      .selectFrom('calendar_transition')
      .select('id')
      .where('id', '=', '2025-2026/feed.suspend/directory')
      .where('done_at', 'is not', null)
      .executeTakeFirst();
    t.ok(row, 'the start job ran the suspension due while the scheduler was down');
  },
);
