import { testDb, testRedis, until } from '@aaf-sync/testing';
import t from 'tap';
import { createSubscription, type SubscriptionContext, type WebhookPayload } from '../src/index.js';
import { box, captureLog, personEvents, runtimeFor, UAI_A } from './fixtures.js';
import { startReceiver } from './receiver.js';

const payloadOf = (body: string) => JSON.parse(body) as WebhookPayload;

t.test('a fill pokes the running pump of this process: delivered without a job', async (t) => {
  const { db, url } = await testDb(t);
  const redis = await testRedis(t);
  const { log } = captureLog('warn');
  // P1's first delivery hangs (until the client gives up): the pump stays running meanwhile.
  let hung = false;
  const receiver = await startReceiver((r) => {
    if (payloadOf(r.body).data.id === 'P1' && !hung) {
      hung = true;
      return 'hang';
    }
    return { status: 204 };
  });
  t.teardown(() => receiver.close());
  const ctx: SubscriptionContext = { db, box, allowPrivate: true, rotationWindowMs: 3_600_000 };
  await createSubscription(
    ctx,
    { name: 'hook-a', url: receiver.url, uais: [UAI_A], eventTypes: ['account.*'] },
    'test',
  );
  const runtime = runtimeFor(db, url, redis, { log, totalTimeoutMs: 8_000 });
  t.teardown(() => runtime.close());
  await runtime.start();
  await personEvents(db, ['P1'], [UAI_A]);
  await until('P1 is in flight', () => hung, 5_000);
  // The fill jobs added so far (BullMQ's event stream of the queue; the sweep's are left out:
  // it schedules one at the end of P1's lease, the crash recovery).
  const added = async () =>
    (await redis.connect().xrange(`${redis.prefix}:webhooks:events`, '-', '+'))
      .map(([, fields]) => fields)
      .filter((f) => f[1] === 'added')
      .map((f) => f[f.indexOf('jobId') + 1])
      .filter((id) => /-d\d+$/.test(id ?? ''));
  const before = await added();
  t.ok(before.length > 0, 'the first fill enqueued a job (no pump was running)');
  await personEvents(db, ['P2', 'P3'], [UAI_A]);
  await until(
    'P2 and P3 delivered while P1 hangs',
    () =>
      receiver.received
        .map((r) => payloadOf(r.body).data.id)
        .filter((id) => id === 'P2' || id === 'P3').length === 2,
    5_000,
  );
  t.notOk(
    receiver.received.some((r) => payloadOf(r.body).data.id === 'P1'),
    'P1 still in flight',
  );
  t.same(await added(), before, 'no job for the second fill: the running pump was poked');
});

t.test('a job with nothing left lingers for the next fill: delivered without a job', async (t) => {
  const { db, url } = await testDb(t);
  const redis = await testRedis(t);
  const { log } = captureLog('warn');
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const ctx: SubscriptionContext = { db, box, allowPrivate: true, rotationWindowMs: 3_600_000 };
  await createSubscription(
    ctx,
    { name: 'hook-a', url: receiver.url, uais: [UAI_A], eventTypes: ['account.*'] },
    'test',
  );
  // Long enough for the second commit on a loaded machine; close() ends the wait.
  const runtime = runtimeFor(db, url, redis, { log, lingerMs: 15_000 });
  t.teardown(() => runtime.close());
  await runtime.start();
  const fillJobs = async () =>
    (await redis.connect().xrange(`${redis.prefix}:webhooks:events`, '-', '+'))
      .map(([, fields]) => fields)
      .filter((f) => f[1] === 'added')
      .map((f) => f[f.indexOf('jobId') + 1])
      .filter((id) => /-d\d+$/.test(id ?? ''));
  await personEvents(db, ['P1'], [UAI_A]);
  await until('P1 delivered', () => receiver.received.length === 1, 5_000);
  const before = await fillJobs();
  t.equal(before.length, 1, 'the first fill enqueued a job');
  await personEvents(db, ['P2'], [UAI_A]);
  await until('P2 delivered', () => receiver.received.length === 2, 5_000);
  t.same(await fillJobs(), before, 'no job for the second fill: the lingering job took the poke');
  const closing = Date.now();
  await runtime.close();
  t.ok(Date.now() - closing < 10_000, 'close ends the lingering at once');
});
