// The targets process as deployed: this service's entry point over packages/drivers.
import { resolve } from 'node:path';
import t from 'tap';
import { startEntryPoint, testDb, testRedis } from '@aaf-sync/testing';

const MAIN = resolve(import.meta.dirname, '../src/main.ts');

t.test('the entry point runs the targets process until SIGTERM, then exits 0', async (t) => {
  const { url } = await testDb(t);
  const redis = await testRedis(t);
  const targets = await startEntryPoint(
    t,
    MAIN,
    {
      DATABASE_URL: url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: redis.prefix,
      TARGETS_POLL_SECONDS: '3600',
    },
    'targets process started',
  );
  t.match(targets.output(), /"name":"targets"/, 'logs under the process name');
  t.same(await targets.stop(), [0, null], 'stops cleanly');
});
