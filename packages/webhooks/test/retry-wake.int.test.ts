import { testDb, testRedis, until } from '@aaf-sync/testing';
import t from 'tap';
import {
  createSubscription,
  fillOutbox,
  listAttempts,
  nextDueAt,
  type SubscriptionContext,
  type WebhookPayload,
} from '../src/index.js';
import { box, captureLog, personEvents, runtimeFor, UAI_A } from './fixtures.js';
import { startReceiver } from './receiver.js';

const payloadOf = (body: string) => JSON.parse(body) as WebhookPayload;

t.test('the next due time counts only the oldest pending row of each entity', async (t) => {
  const { db } = await testDb(t);
  const ctx: SubscriptionContext = { db, box, allowPrivate: true, rotationWindowMs: 3_600_000 };
  await createSubscription(
    ctx,
    { name: 'hook-a', url: 'http://127.0.0.1:9/hooks', uais: [UAI_A], eventTypes: ['account.*'] },
    'test',
  );
  const hook = await db.selectFrom('target').select('id').executeTakeFirstOrThrow();
  const id = Number(hook.id);
  t.equal(await nextDueAt(db, id), null, 'nothing pending');
  await personEvents(db, ['P1', 'P1', 'P1', 'P2'], [UAI_A]);
  t.match(await fillOutbox(db, id), { deliveries: 4 });
  // P1's first event failed and waits for its retry in an hour; its two later rows are due
  // "now" by their own time but wait behind it; P2 was delivered.
  const rows = await db
    .selectFrom('webhook_delivery')
    .select(['id', 'entity_key'])
    .orderBy('seq')
    .execute();
  const later = new Date(Date.now() + 3_600_000);
  await db
    .updateTable('webhook_delivery')
    .set({ next_attempt_at: later, attempts: 1 })
    .where('id', '=', rows[0]!.id)
    .execute();
  await db
    .updateTable('webhook_delivery')
    .set({ status: 'delivered' })
    .where('entity_key', '=', 'account:P2')
    .execute();
  t.equal(
    (await nextDueAt(db, id))?.getTime(),
    later.getTime(),
    'the retry, not the rows behind it',
  );
});

t.test('a retry is woken by its own delayed job, without the sweep', async (t) => {
  const { db, url } = await testDb(t);
  const redis = await testRedis(t);
  const { log } = captureLog('warn');
  let failures = 0;
  const receiver = await startReceiver((r) => {
    const p = payloadOf(r.body);
    return p.data.id === 'P1' && failures++ < 2 ? { status: 500, body: 'busy' } : { status: 204 };
  });
  t.teardown(() => receiver.close());
  const ctx: SubscriptionContext = { db, box, allowPrivate: true, rotationWindowMs: 3_600_000 };
  await createSubscription(
    ctx,
    { name: 'hook-a', url: receiver.url, uais: [UAI_A], eventTypes: ['account.*'] },
    'test',
  );
  // The sweep runs at start and then hourly: only the retries' own delayed jobs can wake the
  // subscription during this test. Three events of P1 (the first fails twice) and one of P2.
  const runtime = runtimeFor(db, url, redis, { log, schedule: [0.3, 0.3, 0.3] });
  t.teardown(() => runtime.close());
  await runtime.start();
  await personEvents(db, ['P1', 'P1', 'P1', 'P2'], [UAI_A]);
  // The receiver records every request: two refused, then the four events.
  await until('every event delivered', () => receiver.received.length === 6, 20_000);
  const p1 = receiver.received.map((r) => payloadOf(r.body)).filter((p) => p.data.id === 'P1');
  t.same(
    p1.map((p) => p.data.version),
    [2, 2, 2, 3, 4],
    'P1 in order: the later rows only after the retried one got through',
  );
  const hook = await db.selectFrom('target').select('id').executeTakeFirstOrThrow();
  const log1 = await listAttempts(db, Number(hook.id), { limit: 20 });
  t.same(
    log1.items
      .filter((i) => i.seq === p1[0]?.data.seq)
      .map((i) => [i.attempt, i.statusCode])
      .reverse(),
    [
      [1, 500],
      [2, 500],
      [3, 204],
    ],
  );
});
