// The apply refreshes planner statistics inside its own transaction as the directory grows.
import t from 'tap';
import { sql } from '@aaf-sync/db';
import { testDb } from '@aaf-sync/testing';
import { TableStatistics } from '../src/apply/table-statistics.js';

t.test('ANALYZE runs at the first threshold, then at each eightfold growth', async (t) => {
  const { db } = await testDb(t);
  await db.transaction().execute(async (trx) => {
    const reltuples = async () =>
      (
        await sql<{
          n: number;
        }>`select reltuples::int as n from pg_class where oid = 'person'::regclass`.execute(trx)
      ).rows[0]!.n;
    await sql`
      insert into person (jointure, category, profile, level, given_name, sn, attributes, record_hash)
      select 'J' || g, 'pupil', 'pupil', '2d', 'Jean', 'Martin' || g, '{}', 'h'
      from generate_series(1, 300) g`.execute(trx);
    t.equal(await reltuples(), -1, 'a new table has no statistics');
    const stats = new TableStatistics(trx, 100, 8);
    t.equal(await stats.afterBatch(50), false, 'below the first threshold');
    t.equal(await reltuples(), -1);
    t.equal(await stats.afterBatch(120), true, 'first threshold passed');
    t.equal(await reltuples(), 300, "the transaction's own rows are counted");
    t.equal(await stats.afterBatch(700), false, 'not again before 800');
    t.equal(await stats.afterBatch(900), true, 'again past 800');
    t.equal(await stats.afterBatch(1000), false, 'next one at 6400');
  });
});
