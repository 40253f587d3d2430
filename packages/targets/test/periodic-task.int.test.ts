import t from 'tap';
import { testDb, testRedis } from '@aaf-sync/testing';
import { createTargetsRuntime, type TargetsRuntime } from '../src/index.js';
import { box, captureLog } from './fixtures.js';

t.test('a periodic task runs through the targets queue, by name, again and again', async (t) => {
  const { db } = await testDb(t);
  const redis = await testRedis(t);
  const { log, lines } = captureLog('info');
  const calls: number[] = [];
  let twice: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (twice = resolve));
  const runtime: TargetsRuntime = createTargetsRuntime({
    db,
    connection: redis.connect(),
    prefix: redis.prefix,
    log,
    box,
    drivers: {},
    batchSize: 10,
    pollMs: 3_600_000,
    // What packages/drivers' shippedTasks gives the process (the KoXo read-back), made fast.
    periodic: [
      {
        name: 'probe',
        everyMs: 200,
        run(jobLog) {
          calls.push(Date.now());
          jobLog.info({ call: calls.length }, 'probe ran');
          if (calls.length === 2) twice();
          return Promise.resolve({ call: calls.length });
        },
      },
    ],
  });
  t.teardown(() => runtime.close());
  await runtime.start();
  const timeout = setTimeout(() => twice(), 30_000);
  await done;
  clearTimeout(timeout);
  t.ok(calls.length >= 2, 'ran on its schedule, more than once');
  t.ok(
    lines.some((l) => l.includes('probe ran')),
    'with the job’s logger',
  );
});
