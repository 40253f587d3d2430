import t from 'tap';
import { appendEvents, sql } from '@aaf-sync/db';
import {
  createNoopLedger,
  createSecretBox,
  driverFor,
  findTarget,
  noopDriver,
  reconcileBatch,
} from '@aaf-sync/targets';
import { seedIdentifier, seedPerson, seedStructure } from '@aaf-sync/testing';
import { body, build } from '../../helper.js';

const A = '0750001A';
const B = '0750002B';

t.test('target status, provisioning rows, the account provisioning section, metrics', async (t) => {
  const ctx = await build(t);
  const { db } = ctx;
  const admin = await ctx.key(['admin']);
  const adminA = await ctx.key(['admin'], [A]);
  const readerA = await ctx.key(['accounts:read'], [A]);
  await seedStructure(db, { jointure: 'S-A', uai: A, name: 'Collège A' });
  await seedStructure(db, { jointure: 'S-B', uai: B, name: 'Collège B' });
  for (const [j, structures] of [
    ['P1', ['S-A']],
    ['P2', ['S-A']],
    ['P3', ['S-A', 'S-B']],
  ] as const) {
    const id = await seedPerson(db, {
      jointure: j,
      category: 'pupil',
      givenName: j,
      sn: 'Sn',
      structures: [...structures],
    });
    await seedIdentifier(db, { personId: id, namespace: 'scribe', value: j.toLowerCase() });
  }
  const create = (name: string, uais: string[]) =>
    ctx.inject({
      method: 'POST',
      url: '/v1/targets',
      headers: { authorization: `Bearer ${admin}` },
      payload: { kind: 'noop', name, uais },
    });
  for (const [name, uais] of [
    ['noop-a', [A]],
    ['noop-b', [B]],
  ] as const) {
    t.equal((await create(name, [...uais])).statusCode, 201);
  }

  // The worker takes noop-a's three rows; P2 is refused by the target.
  const ledger = createNoopLedger();
  ledger.failing.add('P2');
  const { target, driver } = driverFor(
    { noop: noopDriver(ledger) },
    createSecretBox(Buffer.alloc(32, 3).toString('base64')),
    await findTarget(db, 'noop-a'),
    { db },
  );
  t.match(await reconcileBatch(db, target, driver, { batchSize: 10 }), { applied: 2, failed: 1 });
  // Two events noop-a has not dispatched yet, the oldest an hour old.
  await db.transaction().execute((trx) =>
    appendEvents(trx, [
      { entityType: 'person', entityKey: 'P1', op: 'updated', version: 2, uais: [A] },
      { entityType: 'person', entityKey: 'P2', op: 'updated', version: 2, uais: [A] },
    ]),
  );
  await sql`update change_event set occurred_at = now() - interval '1 hour'`.execute(db);

  const status = await ctx.get(admin, '/v1/targets/noop-a/status');
  t.equal(status.statusCode, 200, status.body);
  const s = body<{ lagSeconds: number; lastAppliedAt: string | null }>(status);
  t.match(s, {
    name: 'noop-a',
    kind: 'noop',
    state: 'active',
    cursor: 0,
    head: 2,
    lagEvents: 2,
    lagging: false,
    needsReset: false,
    rows: { pending: 0, applied: 2, failed: 1, excluded: 0 },
    lastBatch: { size: 3 },
    lastError: { jointure: 'P2', error: 'refused (noop ledger)' },
  });
  t.ok(s.lagSeconds >= 3590 && s.lagSeconds < 3700, `lag in seconds (${s.lagSeconds})`);
  t.ok(s.lastAppliedAt, 'last applied at');
  t.match(body(await ctx.get(admin, '/v1/targets/noop-b/status')), {
    rows: { pending: 1, applied: 0 },
    lastBatch: null,
    lastAppliedAt: null,
  });
  t.equal((await ctx.get(adminA, '/v1/targets/noop-b/status')).statusCode, 404, 'scoped');
  t.equal((await ctx.get(adminA, '/v1/targets/noop-a/status')).statusCode, 200);
  t.equal((await ctx.get(readerA, '/v1/targets/noop-a/status')).statusCode, 403, 'admin only');

  // Provisioning rows, paged by person id.
  const page1 = body<{ items: { jointure: string }[]; nextCursor: string }>(
    await ctx.get(admin, '/v1/targets/noop-a/provisioning?limit=2'),
  );
  t.same(
    page1.items.map((i) => i.jointure),
    ['P1', 'P2'],
  );
  const page2 = body<{ items: { jointure: string }[]; nextCursor: string | null }>(
    await ctx.get(admin, `/v1/targets/noop-a/provisioning?limit=2&cursor=${page1.nextCursor}`),
  );
  t.match(page2, {
    items: [{ jointure: 'P3', status: 'applied', targetKey: 'p3' }],
    nextCursor: null,
  });
  t.match(body(await ctx.get(admin, '/v1/targets/noop-a/provisioning?status=failed')), {
    items: [{ jointure: 'P2', status: 'failed', attempts: 1, lastError: 'refused (noop ledger)' }],
    nextCursor: null,
  });
  t.same(
    body<{ items: { jointure: string }[] }>(
      await ctx.get(admin, `/v1/targets/noop-b/provisioning?uai=${B}`),
    ).items.map((i) => i.jointure),
    ['P3'],
  );
  t.match(body(await ctx.get(admin, `/v1/targets/noop-a/provisioning?uai=${B}`)), {
    code: 'TARGETS_ERR_NOT_SERVED',
  });
  t.match(body(await ctx.get(admin, '/v1/targets/noop-a/provisioning?cursor=x')), {
    code: 'API_ERR_VALIDATION',
  });
  t.equal((await ctx.get(adminA, '/v1/targets/noop-b/provisioning')).statusCode, 404);

  // The account status: its row on each target, a scoped reader only the targets of its UAIs.
  const p3 = body<{ provisioning: unknown[] }>(await ctx.get(admin, '/v1/accounts/P3'));
  t.match(p3.provisioning, [
    {
      target: 'noop-a',
      kind: 'noop',
      targetState: 'active',
      status: 'applied',
      targetKey: 'p3',
      present: true,
      desiredVersion: 1,
      appliedVersion: 1,
      appliedAt: /^\d{4}-/,
      lastError: null,
    },
    { target: 'noop-b', status: 'pending', targetKey: null, appliedVersion: null, appliedAt: null },
  ]);
  const scoped = body<{ provisioning: { target: string }[] }>(
    await ctx.get(readerA, '/v1/accounts/P3'),
  );
  t.same(
    scoped.provisioning.map((p) => p.target),
    ['noop-a'],
    'not noop-b (it serves B only)',
  );
  t.match(body(await ctx.get(admin, '/v1/accounts/P2')), {
    provisioning: [{ target: 'noop-a', status: 'failed', lastError: 'refused (noop ledger)' }],
  });

  const metrics = (await ctx.inject({ url: '/metrics' })).body;
  t.match(metrics, /^aaf_target_provisioning_rows\{target="noop-a",status="failed"\} 1$/m);
  t.match(metrics, /^aaf_target_provisioning_rows\{target="noop-b",status="pending"\} 1$/m);
  t.match(metrics, /^aaf_target_consumer_lag_events\{target="noop-a"\} 2$/m);
  t.match(metrics, /^aaf_target_consumer_lag_seconds\{target="noop-a"\} 3[56]\d\d/m);
  t.match(metrics, /^aaf_target_apply_seconds\{target="noop-a"\} [0-9.e-]+$/m);
  t.notMatch(metrics, /aaf_target_apply_seconds\{target="noop-b"\}/, 'no batch yet');
});

t.test('beyond TARGETS_METRICS_MAX_TARGETS the target gauges are per kind', async (t) => {
  const { byLabel } = await import('../../../src/plugins/external/metrics.js');
  const g = (name: string, pending: number, lagSeconds: number, batchSeconds: number | null) => ({
    name,
    kind: 'noop' as const,
    pending,
    failed: 0,
    lagEvents: pending,
    lagSeconds,
    batchSeconds,
  });
  const all = [g('a', 1, 10, 0.5), g('b', 2, 30, null), g('c', 3, 20, 0.2)];
  t.same(
    byLabel(all, 3).map((x) => x.name),
    ['a', 'b', 'c'],
  );
  t.same(byLabel(all, 2), [
    {
      name: 'kind:noop',
      kind: 'noop',
      pending: 6,
      failed: 0,
      lagEvents: 3,
      lagSeconds: 30,
      batchSeconds: 0.5,
    },
  ]);
});
