// A pool created with idleTimeoutMillis 0 (the API server's) keeps the connections a burst
// opened; pg's default closes them after 10 s idle, and the next burst pays for opening them
// again and for planning each prepared statement on them once more.
import t from 'tap';
import { testDb, until } from '@aaf-sync/testing';
import { createDb, sql } from '@aaf-sync/db';

/** Runs `n` statements at once, so the pool opens `n` connections; answers their backends' pids. */
async function burst(db: ReturnType<typeof createDb>['db'], n: number): Promise<Set<number>> {
  const rows = await Promise.all(
    Array.from({ length: n }, () =>
      sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.05)`.execute(db),
    ),
  );
  return new Set(rows.map((r) => r.rows[0]!.pid));
}

t.test(
  'idle connections stay open with idleTimeoutMillis 0, and close with a timeout',
  async (t) => {
    const { url } = await testDb(t);
    const kept = createDb({ url, poolMax: 4, idleTimeoutMillis: 0 });
    const timed = createDb({ url, poolMax: 4, idleTimeoutMillis: 100 });
    t.teardown(async () => {
      await kept.close();
      await timed.close();
    });
    const keptPids = await burst(kept.db, 4);
    t.equal(keptPids.size, 4, 'the burst opened four connections');
    t.equal((await burst(timed.db, 4)).size, 4);
    // the pool with a timeout is the clock: once its idle connections are gone, the other's
    // have been idle longer than that timeout
    await until('the timed pool closes its idle connections', () => timed.pool.totalCount === 0);
    t.equal(kept.pool.totalCount, 4, 'the kept pool still holds its four connections');
    t.equal(kept.pool.idleCount, 4);
    const again = await burst(kept.db, 4);
    t.same([...again].sort(), [...keptPids].sort(), 'the next burst runs on the same backends');
  },
);

t.test("without the option the pool keeps pg's default", async (t) => {
  const { url } = await testDb(t);
  const handle = createDb({ url, poolMax: 1 });
  t.teardown(() => handle.close());
  t.equal(handle.pool.options.idleTimeoutMillis, 10_000);
});
