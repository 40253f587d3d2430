import { sql } from '@aaf-sync/db';
import { testDb, testRedis, until } from '@aaf-sync/testing';
import t from 'tap';
import {
  createSubscription,
  getSubscription,
  listAttempts,
  purgeDelivered,
  replay,
  rotateSecret,
  updateSubscription,
  verify,
  type SubscriptionContext,
  type WebhookPayload,
} from '../src/index.js';
import { box, captureLog, personEvents, runtimeFor, testClock, UAI_A, UAI_B } from './fixtures.js';
import { independentVerify, startReceiver, type Received } from './receiver.js';

const payloadOf = (r: Received) => JSON.parse(r.body) as WebhookPayload;
const idsOf = (rs: readonly Received[]) => rs.map((r) => payloadOf(r).data.id);

t.test('deliveries: signed, thin, scoped, in order per entity, retried, logged', async (t) => {
  const { db, url } = await testDb(t);
  const redis = await testRedis(t);
  const { log, lines } = captureLog('debug');
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const ctx: SubscriptionContext = { db, box, allowPrivate: true, rotationWindowMs: 3_600_000 };
  const { secret } = await createSubscription(
    ctx,
    { name: 'hook-a', url: receiver.url, uais: [UAI_A] },
    'test',
  );
  const other = await startReceiver();
  t.teardown(() => other.close());
  await createSubscription(ctx, { name: 'hook-b', url: other.url, uais: [UAI_B] }, 'test');
  const runtime = runtimeFor(db, url, redis, { log });
  t.teardown(() => runtime.close());
  await runtime.start();

  await personEvents(db, ['A1', 'A2'], [UAI_A]);
  await personEvents(db, ['B1'], [UAI_B]);
  await until('A events and the snapshot cue', () => receiver.received.length === 3);
  await until('B event and its cue', () => other.received.length === 2);
  const types = receiver.received.map((r) => payloadOf(r).type);
  t.same(types.sort(), ['account.updated', 'account.updated', 'snapshot.published']);
  t.same(idsOf(other.received).sort(), ['0750002B', 'B1'], 'B gets only its own');
  t.notOk(idsOf(receiver.received).includes('B1'), 'A never receives B’s events');
  for (const r of receiver.received) {
    t.ok(independentVerify(secret, r.headers, r.body), 'independent verification');
    t.ok(verify(secret, r.headers, r.body), 'the package’s verify');
    t.match(String(r.headers['webhook-id']), /^msg_\d+$/);
  }
  const a1 = receiver.received.map(payloadOf).find((p) => p.data.id === 'A1');
  t.match(a1, {
    type: 'account.updated',
    data: { entity: 'account', establishments: [UAI_A], changed: ['sn', 'mail'] },
  });
  t.notOk(a1 && 'personal' in a1.data, 'no personal data by default');
  t.notOk(JSON.stringify(receiver.received.map((r) => r.body)).includes('After'), 'no values');
  t.notOk(lines.join('').includes(secret.slice(6)), 'the secret is never logged');

  // Retries on 500: the receiver fails twice for A3, then accepts; the log shows each attempt.
  let failures = 0;
  receiver.set((r) =>
    payloadOf(r).data.id === 'A3' && failures++ < 2
      ? { status: 500, body: 'busy' }
      : { status: 204 },
  );
  await personEvents(db, ['A3'], [UAI_A]);
  const hook = await db
    .selectFrom('target')
    .select('id')
    .where('name', '=', 'hook-a')
    .executeTakeFirstOrThrow();
  const settled = (key: string) => async () => {
    const r = await db
      .selectFrom('webhook_delivery')
      .select('status')
      .where('entity_key', '=', `account:${key}`)
      .where('target_id', '=', hook.id)
      .execute();
    return r.length > 0 && r.every((x) => x.status === 'delivered');
  };
  await until('A3 after two failures', settled('A3'));
  const log1 = await listAttempts(db, Number(hook.id), { limit: 50 });
  const a3 = log1.items.filter((i) => i.entity === 'account:A3');
  t.same(a3.map((i) => [i.attempt, i.statusCode, i.ok]).reverse(), [
    [1, 500, false],
    [2, 500, false],
    [3, 204, true],
  ]);
  t.equal(a3.at(-1)?.responseExcerpt, 'busy');
  t.ok(a3.every((i) => i.latencyMs >= 0 && i.deliveryStatus === 'delivered'));

  // Retries on timeout: the receiver hangs once for A4 (total timeout 2 s), then answers.
  let hung = false;
  receiver.set((r) => {
    if (payloadOf(r).data.id === 'A4' && !hung) {
      hung = true;
      return 'hang';
    }
    return { status: 200 };
  });
  await personEvents(db, ['A4'], [UAI_A]);
  await until('A4 after a timeout', settled('A4'));
  const log2 = await listAttempts(db, Number(hook.id), { limit: 50 });
  const a4 = log2.items.filter((i) => i.entity === 'account:A4').reverse();
  t.match(a4[0], { attempt: 1, ok: false, statusCode: null, error: /timeout/ });
  t.match(a4[1], { attempt: 2, ok: true, statusCode: 200 });
});

t.test(
  'receiver down then back, Redis flushed mid-delivery: nothing lost, order per entity',
  async (t) => {
    const { db, url } = await testDb(t);
    const redis = await testRedis(t);
    const { log } = captureLog('warn');
    const receiver = await startReceiver();
    t.teardown(() => receiver.close());
    const ctx: SubscriptionContext = { db, box, allowPrivate: true, rotationWindowMs: 3_600_000 };
    const { secret } = await createSubscription(
      ctx,
      { name: 'hook-a', url: receiver.url, uais: [UAI_A], eventTypes: ['account.*'] },
      'test',
    );
    // No periodic sweep (an hour): after the flush is rebuilt by hand, every retry is woken by
    // its own delayed job. (Before, a retry behind later rows of its entity was scheduled at
    // those rows' time, "now", found nothing due and re-added itself under its own id: a no-op
    // that left only the sweep to wake the subscription.)
    const runtime = runtimeFor(db, url, redis, { log, schedule: Array(40).fill(0.1) });
    t.teardown(() => runtime.close());
    await runtime.start();

    await receiver.close(); // down
    for (let round = 0; round < 5; round++) await personEvents(db, ['P1', 'P2', 'P3'], [UAI_A]);
    await until('failed attempts while down', async () => {
      const r = await sql<{
        n: number;
      }>`select count(*)::int as n from webhook_attempt where not ok`.execute(db);
      return (r.rows[0]?.n ?? 0) >= 6;
    });
    // Redis loses every job (a flush) while the runtime runs: the delayed retries are gone.
    const keys = await redis.redis.keys(`${redis.prefix}*`);
    t.ok(keys.length > 0, 'jobs were in Redis');
    await redis.redis.del(...keys);
    await receiver.listen(); // back
    // The poll's sweep (an hour here, so called by hand) rebuilds the jobs from PostgreSQL.
    t.equal(await runtime.sweep(), 1, 'one subscription with pending rows');
    await until('every event delivered', async () => {
      const r = await sql<{ n: number }>`
      select count(*)::int as n from webhook_delivery where status <> 'delivered'`.execute(db);
      return r.rows[0]?.n === 0 && receiver.received.length >= 15;
    });
    t.equal(receiver.received.length, 15, 'each of the 15 events once (no snapshot: filtered)');
    for (const key of ['P1', 'P2', 'P3']) {
      const seqs = receiver.received
        .map(payloadOf)
        .filter((p) => p.data.id === key)
        .map((p) => p.data.seq);
      t.equal(seqs.length, 5);
      t.same(
        seqs,
        [...seqs].sort((a, b) => a - b),
        `${key}: received in seq order`,
      );
    }
    t.ok(receiver.received.every((r) => independentVerify(secret, r.headers, r.body)));

    // Replay from a seq: those events are sent again (same webhook-id), later ones only.
    const seqs = receiver.received.map((r) => payloadOf(r).data.seq).sort((a, b) => a - b);
    const from = seqs[9] as number;
    const hook = await db
      .selectFrom('target')
      .select('id')
      .where('name', '=', 'hook-a')
      .executeTakeFirstOrThrow();
    const before = receiver.received.length;
    const r = await replay(db, Number(hook.id), from);
    t.equal(r.deliveries, 6, 'the six events from that seq');
    await until('replayed', () => receiver.received.length === before + 6);
    t.same(
      receiver.received
        .slice(before)
        .map((x) => payloadOf(x).data.seq)
        .sort((a, b) => a - b),
      seqs.slice(9),
    );
  },
);

t.test('rotation: old and new secrets both sign during the window', async (t) => {
  const { db, url } = await testDb(t);
  const redis = await testRedis(t);
  const { log } = captureLog('warn');
  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const clock = testClock();
  const ctx: SubscriptionContext = {
    db,
    box,
    allowPrivate: true,
    rotationWindowMs: 3_600_000,
    now: clock.now,
  };
  const { secret: oldSecret } = await createSubscription(
    ctx,
    { name: 'hook-a', url: receiver.url, uais: [UAI_A] },
    'test',
  );
  const rotated = await rotateSecret(ctx, 'hook-a', null);
  t.match(rotated.secret, /^whsec_/);
  t.not(rotated.secret, oldSecret);
  const runtime = runtimeFor(db, url, redis, { log, now: clock.now });
  t.teardown(() => runtime.close());
  await runtime.start();
  await personEvents(db, ['A1'], [UAI_A]);
  await until('delivered', () => receiver.received.length === 2);
  for (const r of receiver.received) {
    t.equal(String(r.headers['webhook-signature']).split(' ').length, 2, 'two signatures');
    t.ok(independentVerify(oldSecret, r.headers, r.body), 'old secret verifies');
    t.ok(independentVerify(rotated.secret, r.headers, r.body), 'new secret verifies');
  }
  // After the window, only the new secret signs.
  clock.advance(3_600_001);
  await personEvents(db, ['A2'], [UAI_A]);
  await until('delivered after the window', () => receiver.received.length === 4);
  for (const r of receiver.received.slice(2)) {
    t.equal(String(r.headers['webhook-signature']).split(' ').length, 1);
    t.notOk(independentVerify(oldSecret, r.headers, r.body), 'old secret no longer verifies');
    t.ok(verify(rotated.secret, r.headers, r.body, { now: clock.now() }));
  }
});

t.test('dead letters, then auto-disable with an admin notice after failing too long', async (t) => {
  const { db, url } = await testDb(t);
  const redis = await testRedis(t);
  const { log, lines } = captureLog('warn');
  const receiver = await startReceiver(() => ({ status: 503, body: 'down for maintenance' }));
  t.teardown(() => receiver.close());
  const clock = testClock();
  const ctx: SubscriptionContext = {
    db,
    box,
    allowPrivate: true,
    rotationWindowMs: 1,
    now: clock.now,
  };
  await createSubscription(ctx, { name: 'hook-a', url: receiver.url, uais: [UAI_A] }, 'test');
  const runtime = runtimeFor(db, url, redis, {
    log,
    now: clock.now,
    schedule: [0.05, 0.05],
    disableAfterMs: 3 * 86_400_000,
  });
  t.teardown(() => runtime.close());
  await runtime.start();
  await personEvents(db, ['A1'], [UAI_A]);
  await until('dead letters', async () => {
    const r = await sql<{ n: number }>`
      select count(*)::int as n from webhook_delivery where status = 'dead'`.execute(db);
    return r.rows[0]?.n === 2;
  });
  const dead = await db
    .selectFrom('webhook_delivery')
    .selectAll()
    .where('status', '=', 'dead')
    .execute();
  t.ok(
    dead.every((d) => d.attempts === 3 && d.last_status === 503),
    'three attempts each, kept',
  );
  let state = await db
    .selectFrom('target')
    .select('state')
    .where('name', '=', 'hook-a')
    .executeTakeFirstOrThrow();
  t.equal(state.state, 'active', 'not disabled yet: failing for seconds only');

  // Three days later (the clock moves; nothing sleeps), still failing: disabled.
  clock.advance(3 * 86_400_000 + 1_000);
  await personEvents(db, ['A2'], [UAI_A]);
  await until('disabled', async () => {
    const s = await db
      .selectFrom('target')
      .select('state')
      .where('name', '=', 'hook-a')
      .executeTakeFirstOrThrow();
    return s.state === 'suspended';
  });
  const notice = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'webhooks.disabled')
    .execute();
  t.equal(notice.length, 1, 'an admin notice (audit row)');
  t.match(notice[0]?.details, { target: 'hook-a', reason: /failing since/ });
  t.ok(lines.some((l) => l.includes('webhook subscription disabled')));
  const health = await db.selectFrom('webhook_health').selectAll().executeTakeFirstOrThrow();
  t.ok(health.disabled_at);
  state = await db
    .selectFrom('target')
    .select('state')
    .where('name', '=', 'hook-a')
    .executeTakeFirstOrThrow();
  t.equal(state.state, 'suspended');
  const pending = await db
    .selectFrom('webhook_delivery')
    .select('id')
    .where('status', '=', 'pending')
    .execute();
  t.ok(pending.length > 0, 'what was not delivered is kept for a resumption or a replay');

  // An event while disabled, then the receiver is fixed and the subscription set active again:
  // it resumes where its cursor stopped (nothing skipped) and delivers what was pending.
  await personEvents(db, ['A3'], [UAI_A]);
  receiver.set(() => ({ status: 204 }));
  const view = await updateSubscription(ctx, 'hook-a', { active: true }, 'test', null);
  t.equal(view.active, true);
  await runtime.dispatch();
  await runtime.sweep();
  await until('everything pending delivered', async () => {
    const r = await sql<{ n: number }>`
      select count(*)::int as n from webhook_delivery where status = 'pending'`.execute(db);
    return r.rows[0]?.n === 0;
  });
  t.ok(
    receiver.received.some((r) => payloadOf(r).data.id === 'A3'),
    'the event of the pause too',
  );
  t.equal((await getSubscription(ctx, 'hook-a', null)).failingSince, null, 'healthy again');

  // Retention: delivered rows (with their attempts) older than the cut-off go; dead letters stay.
  await runtime.close();
  const delivered = await db
    .selectFrom('webhook_delivery')
    .select('id')
    .where('status', '=', 'delivered')
    .execute();
  t.ok(delivered.length > 0);
  t.equal(await purgeDelivered(db, new Date(clock.now() - 86_400_000)), 0, 'recent ones are kept');
  t.equal(await purgeDelivered(db, new Date(clock.now() + 60_000)), delivered.length);
  const left = await db.selectFrom('webhook_delivery').select('status').execute();
  t.ok(left.length > 0 && left.every((r) => r.status === 'dead'), 'dead letters kept');
  const orphans = await sql<{ n: number }>`
    select count(*)::int as n from webhook_attempt a
    where not exists (select 1 from webhook_delivery d where d.id = a.delivery_id)`.execute(db);
  t.equal(orphans.rows[0]?.n, 0, 'their attempts went with them');
});
