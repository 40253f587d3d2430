import t from 'tap';
import { createProducer } from '@aaf-sync/jobs';
import { testDb, testRedis, within } from '@aaf-sync/testing';
import { createTargetsRuntime, TargetsQueue, type TargetsRuntime } from '../src/index.js';
import { box, captureLog } from './fixtures.js';

t.test('a periodic task runs through the targets queue, by name, again and again', async (t) => {
  const { db } = await testDb(t);
  const redis = await testRedis(t);
  const { log, lines } = captureLog('info');
  const everyMs = 3_600_000;
  const calls: number[] = [];
  const waiting = new Map<number, () => void>();
  const call = (n: number) =>
    new Promise<void>((resolve) => (calls.length >= n ? resolve() : waiting.set(n, resolve)));
  const runtime: TargetsRuntime = createTargetsRuntime({
    db,
    connection: redis.connect(),
    prefix: redis.prefix,
    log,
    box,
    drivers: {},
    batchSize: 10,
    pollMs: 3_600_000,
    // What packages/drivers' shippedTasks gives the process (the KoXo read-back). Its next
    // occurrence is promoted below instead of waited for.
    periodic: [
      {
        name: 'probe',
        everyMs,
        run(jobLog) {
          calls.push(Date.now());
          jobLog.info({ call: calls.length }, 'probe ran');
          waiting.get(calls.length)?.();
          return Promise.resolve({ call: calls.length });
        },
      },
    ],
  });
  t.teardown(() => runtime.close());
  // The test's own handle on the targets queue (same name and prefix as the runtime's).
  const queue = createProducer(TargetsQueue, {
    connection: redis.connect(),
    prefix: redis.prefix,
    log,
  }).queue;
  t.teardown(() => queue.close());
  await runtime.start();
  await within('the first run', call(1), 30_000);

  // BullMQ adds the next occurrence before it hands the current one to the worker.
  const [next, ...others] = await queue.getDelayed();
  t.same(others, [], 'one next occurrence');
  t.same(next?.data, { kind: 'periodic', name: 'probe' }, 'the task, by name');
  t.ok(next!.delay > 0 && next!.delay <= everyMs, `due within everyMs (in ${next!.delay} ms)`);
  await next!.promote();
  await within('the second run', call(2), 30_000);
  t.equal(calls.length, 2, 'ran on its schedule, more than once');
  t.ok(
    lines.some((l) => l.includes('probe ran')),
    'with the job’s logger',
  );
});
