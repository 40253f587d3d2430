import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDb, sql } from '@aaf-sync/db';
import { testDb, testRedis, until } from '@aaf-sync/testing';
import t from 'tap';
import { claimDue } from '../src/delivery-claim.js';
import {
  createBackoff,
  createSubscription,
  fillOutbox,
  loadSender,
  pumpDeliveries,
  type DeliverOptions,
  type SubscriptionContext,
  type WebhookPayload,
} from '../src/index.js';
import { box, captureLog, personEvents, runtimeFor, testClock, UAI_A } from './fixtures.js';
import { startReceiver, type Received } from './receiver.js';

const payloadOf = (r: Received) => JSON.parse(r.body) as WebhookPayload;
const ctxOf = (db: SubscriptionContext['db']): SubscriptionContext => ({
  db,
  box,
  allowPrivate: true,
  rotationWindowMs: 3_600_000,
});

t.test('one hanging attempt holds neither the others nor their records', async (t) => {
  const { db, url } = await testDb(t);
  const redis = await testRedis(t);
  const { log } = captureLog('warn');
  let held = 0;
  // X's first attempt never gets an answer (until the receiver goes down); the rest at once.
  const receiver = await startReceiver((r) => {
    if (payloadOf(r).data.id === 'X' && held === 0) {
      held++;
      return 'hang';
    }
    return { status: 204 };
  });
  t.teardown(() => receiver.close());
  await createSubscription(
    ctxOf(db),
    { name: 'hook', url: receiver.url, uais: [UAI_A], eventTypes: ['account.*'] },
    'test',
  );
  // A long timeout: the others must not wait for it.
  const runtime = runtimeFor(db, url, redis, { log, totalTimeoutMs: 60_000 });
  t.teardown(() => runtime.close());
  await runtime.start();

  const others = Array.from({ length: 40 }, (_, i) => `O${i}`);
  await personEvents(db, ['X', ...others], [UAI_A]);
  await personEvents(db, ['X'], [UAI_A]); // X's second event waits for its first
  const status = async () =>
    (
      await db
        .selectFrom('webhook_delivery')
        .select(['entity_key', 'status', 'attempts'])
        .orderBy('seq')
        .execute()
    ).map((r) => ({ key: r.entity_key.replace('account:', ''), ...r }));
  await until('the 40 others delivered and recorded', async () => {
    const rows = await status();
    return rows.filter((r) => r.key !== 'X' && r.status === 'delivered').length === 40;
  });
  const rows = await status();
  t.equal(held, 1, "X's first attempt is still hanging");
  t.same(
    rows.filter((r) => r.key === 'X').map((r) => [r.status, r.attempts]),
    [
      ['pending', 0],
      ['pending', 0],
    ],
    'X: nothing recorded yet, its second event not sent',
  );
  t.equal(receiver.received.filter((r) => payloadOf(r).data.id === 'X').length, 0);
  // New events meanwhile: the running delivery (still waiting for X) claims them at once.
  await personEvents(db, ['N1', 'N2'], [UAI_A]);
  await until('N1 and N2 delivered while X hangs', async () => {
    const r = await status();
    return r.filter((x) => x.key.startsWith('N') && x.status === 'delivered').length === 2;
  });
  t.equal(held, 1, 'X still hanging');

  // The receiver drops the hanging request: X is retried, then its second event follows.
  await receiver.close();
  await receiver.listen();
  await until('X delivered twice in order', () =>
    status().then((r) => r.every((x) => x.status === 'delivered')),
  );
  const xs = receiver.received.filter((r) => payloadOf(r).data.id === 'X');
  t.equal(xs.length, 2);
  t.ok((payloadOf(xs[0] as Received).data.seq ?? 0) < (payloadOf(xs[1] as Received).data.seq ?? 0));
});

/** A receiver holding every request until `answerAll()` (then answering 204 at once). */
async function holdingReceiver() {
  const held: { res: http.ServerResponse; body: string; id: string }[] = [];
  const answered: { body: string; id: string }[] = [];
  let holding = true;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        res,
        body: Buffer.concat(chunks).toString(),
        id: String(req.headers['webhook-id']),
      };
      if (holding) held.push(r);
      else {
        answered.push(r);
        res.writeHead(204).end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    held,
    answered,
    answerAll() {
      holding = false;
      for (const r of held.splice(0)) {
        answered.push(r);
        r.res.writeHead(204).end();
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

t.test('a process dying mid-batch: its rows come back after the lease, in order', async (t) => {
  const { db, url } = await testDb(t);
  const redis = await testRedis(t);
  const { log } = captureLog('warn');
  const receiver = await holdingReceiver();
  t.teardown(() => receiver.close());
  await createSubscription(
    ctxOf(db),
    { name: 'hook', url: receiver.url, uais: [UAI_A], eventTypes: ['account.*'] },
    'test',
  );
  const { id } = await db
    .selectFrom('target')
    .select('id')
    .where('name', '=', 'hook')
    .executeTakeFirstOrThrow();
  const keys = Array.from({ length: 12 }, (_, i) => `E${i}`);
  await personEvents(db, keys, [UAI_A]);
  await personEvents(db, ['E0'], [UAI_A]); // E0's second event
  await fillOutbox(db, Number(id));

  // The "process" that dies: its own pool, closed while its attempts are in flight.
  const doomed = createDb({ url, poolMax: 2 });
  const clock = testClock();
  const safety = { allowPrivate: true, connectTimeoutMs: 1_000, totalTimeoutMs: 2_000 };
  const o: DeliverOptions = {
    db: doomed.db,
    box,
    log,
    safety,
    backoff: createBackoff([0.05], 0),
    concurrency: 12, // every head in flight at once: nothing left waiting when it dies
    disableAfterMs: 86_400_000,
    now: clock.now,
  };
  const sender = await loadSender(o, Number(id));
  if (!sender) throw new Error('no sender');
  const pump = pumpDeliveries(o, Number(id), sender, {
    claimUntil: Date.now() + 60_000,
    closing: () => false,
  });
  await until('twelve attempts in flight', () => receiver.held.length === 12);
  await doomed.close(); // the database goes away with the process
  receiver.answerAll(); // the receiver got them (and answers): nothing will record it
  await t.rejects(pump, 'the pump fails: its attempts were not recorded');

  const leased = await sql<{ n: number }>`
    select count(*)::int as n from webhook_delivery
    where status = 'pending' and attempts = 0 and next_attempt_at > now()`.execute(db);
  t.equal(leased.rows[0]?.n, 12, 'the rows sent are still leased, unrecorded');
  const early = await claimDue(db, Number(id), 100, clock.now(), clock.now() + 1_000);
  t.notOk(
    early.some((r) => receiver.answered.some((a) => a.id === `msg_${r.id}`)),
    'another claim before the lease ends does not take them',
  );
  // Let the early claim's lease lapse too, then the next process runs past the lease.
  clock.advance(safety.totalTimeoutMs + 30_000 + 1_000);
  const sent = receiver.answered.length;
  const runtime = runtimeFor(db, url, redis, { log, now: clock.now, totalTimeoutMs: 2_000 });
  t.teardown(() => runtime.close());
  await runtime.start();
  await until('every row delivered', async () => {
    const r = await sql<{ n: number }>`
      select count(*)::int as n from webhook_delivery where status <> 'delivered'`.execute(db);
    return r.rows[0]?.n === 0;
  });
  const ids = receiver.answered.map((a) => a.id);
  const again = receiver.answered.slice(sent).map((a) => a.id);
  t.ok(
    receiver.answered.slice(0, sent).every((a) => again.includes(a.id)),
    'what the dead process sent is sent again, under the same webhook-id (at least once)',
  );
  t.equal(new Set(ids).size, 13, 'every event received');
  const e0 = receiver.answered
    .map((a) => JSON.parse(a.body) as WebhookPayload)
    .filter((p) => p.data.id === 'E0')
    .map((p) => p.data.seq);
  const first = Math.min(...e0);
  t.same(
    e0.map((s) => (s === first ? 'first' : 'second')),
    ['first', 'first', 'second'],
    'E0: its first event (sent by the dead process, then again), only then its second',
  );
});
