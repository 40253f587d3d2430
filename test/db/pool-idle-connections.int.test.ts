// A pool created with idleTimeoutMillis 0 (the API server's) keeps the connections a burst
// opened; pg's default closes them after 10 s idle, and the next burst pays for opening them
// again and for planning each prepared statement on them once more.
import { once } from 'node:events';
import t from 'tap';
import { testDb, within } from '@aaf-sync/testing';
import { createDb } from '@aaf-sync/db';

/** Checks out `n` connections at once (the pool opens `n`), releases them; answers their pids. */
async function burst(handle: ReturnType<typeof createDb>, n: number): Promise<Set<number>> {
  const clients = await Promise.all(Array.from({ length: n }, () => handle.pool.connect()));
  const pids = await Promise.all(
    clients.map(
      async (c) => (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid,
    ),
  );
  for (const c of clients) c.release();
  return new Set(pids);
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
    const keptPids = await burst(kept, 4);
    t.equal(keptPids.size, 4, 'the burst opened four connections');
    // the pool removes each idle connection, with a 'remove' event, once its timeout passes
    const removed = (async () => {
      for (let i = 0; i < 4; i++) await once(timed.pool, 'remove');
    })();
    t.equal((await burst(timed, 4)).size, 4);
    // the pool with a timeout is the clock: once its idle connections are gone, the other's
    // have been idle longer than that timeout
    await within('the timed pool closing its idle connections', removed, 5_000);
    t.equal(timed.pool.totalCount, 0);
    t.equal(kept.pool.totalCount, 4, 'the kept pool still holds its four connections');
    t.equal(kept.pool.idleCount, 4);
    const again = await burst(kept, 4);
    t.same([...again].sort(), [...keptPids].sort(), 'the next burst runs on the same backends');
  },
);

t.test("without the option the pool keeps pg's default", async (t) => {
  const { url } = await testDb(t);
  const handle = createDb({ url, poolMax: 1 });
  t.teardown(() => handle.close());
  t.equal(handle.pool.options.idleTimeoutMillis, 10_000);
});
