import { sql } from '@aaf-sync/db';
import { testDb } from '@aaf-sync/testing';
import t from 'tap';
import { runTick, type EffectContext } from '../src/index.js';
import { silentLog, storeCalendar } from './helpers.js';

t.test('a tick: the due transitions, then every tick task at the same instant', async (t) => {
  const { db } = await testDb(t);
  await storeCalendar(db);
  const now = new Date('2025-07-04T01:00:00Z');
  const seen: Date[] = [];
  async function failing(): Promise<never> {
    throw new Error('not today');
  }
  async function noting(ctx: EffectContext) {
    seen.push(ctx.clock.now());
    await ctx.notify({
      kind: 'test.tick',
      uais: [],
      title: 'tick',
      body: 'tick',
      dedupeKey: 'test.tick/1',
    });
    return { summary: 'noted' };
  }
  const result = await runTick(
    {
      db,
      clock: { now: () => new Date() },
      log: silentLog,
      effects: {},
      tickTasks: [failing, noting],
    },
    now,
  );
  t.ok(result.unhandled.length > 0, 'the transitions were looked at (no effect registered here)');
  t.same(
    result.tasks,
    [
      { name: 'failing', ok: false, error: 'not today' },
      { name: 'noting', ok: true, result: { summary: 'noted' } },
    ],
    'a failing task does not stop the next',
  );
  t.same(seen, [now], 'tasks see the instant of the tick');
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from notice
    where kind = 'test.tick'`.execute(db);
  t.equal(rows[0]?.n, 1, 'notices are recorded');
});
