// The scheduler process as deployed: this service's entry point over packages/calendar-effects.
import { resolve } from 'node:path';
import t from 'tap';
import { startEntryPoint, testDb, testRedis } from '@aaf-sync/testing';

const MAIN = resolve(import.meta.dirname, '../src/main.ts');

t.test('the entry point runs the scheduler until SIGTERM, then exits 0', async (t) => {
  const { url } = await testDb(t);
  const redis = await testRedis(t);
  const scheduler = await startEntryPoint(
    t,
    MAIN,
    { DATABASE_URL: url, REDIS_URL: redis.url, QUEUE_PREFIX: redis.prefix },
    'scheduler started',
  );
  t.match(scheduler.output(), /"name":"scheduler"/, 'logs under the process name');
  t.same(await scheduler.stop(), [0, null], 'stops cleanly');
});
