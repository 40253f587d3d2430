import t from 'tap';
import { sql } from '@aaf-sync/db';
import { testDb, testRedis, until } from '@aaf-sync/testing';
import {
  createNoopLedger,
  createTarget,
  createTargetsRuntime,
  noopDriver,
  type TargetsRuntime,
} from '../src/index.js';
import { box, captureLog, rowsOf, seedAccounts, seedSchools, UAI_A, UAI_B } from './fixtures.js';

const EVENTS = 100_000;

t.test('a consumer follows 100,000 events across restarts and a Redis flush', async (t) => {
  const { db, url } = await testDb(t);
  const redis = await testRedis(t);
  const { log } = captureLog('fatal');
  await seedSchools(db);
  await seedAccounts(db, { prefix: 'A', structure: 'S-A', count: 500 });
  await seedAccounts(db, { prefix: 'B', structure: 'S-B', count: 500 });
  const target = await createTarget(
    db,
    box,
    { kind: 'noop', name: 'follower', uais: [UAI_A], options: {} },
    'test',
  );
  // 100,000 person events, set-based, in three waves: event n is about A(n mod 500) when n is
  // even, B(n mod 500) when odd.
  const wave = (from: number, to: number) =>
    sql`
      insert into change_event (entity_type, entity_key, op, version, uais)
      select 'person', case when n % 2 = 0 then 'A' else 'B' end || (n % 500 + 1), 'updated', 2,
        array[case when n % 2 = 0 then ${UAI_A} else ${UAI_B} end]
      from generate_series(${from}::int, ${to}::int) n
    `.execute(db);
  const forA = EVENTS / 2;

  const ledger = createNoopLedger();
  const runtimes: TargetsRuntime[] = [];
  const start = async () => {
    const runtime = createTargetsRuntime({
      db,
      listenUrl: url,
      connection: redis.connect(),
      prefix: redis.prefix,
      log,
      box,
      drivers: { noop: noopDriver(ledger) },
      batchSize: 50,
      pollMs: 500,
      jobBudgetMs: 200,
    });
    runtimes.push(runtime);
    await runtime.start();
    return runtime;
  };
  t.teardown(() => Promise.all(runtimes.map((r) => r.close())));
  const flushRedis = async () => {
    const keys = await redis.redis.keys(`${redis.prefix}*`);
    if (keys.length > 0) await redis.redis.del(...keys);
    return keys.length;
  };

  const first = await start();
  await wave(1, 50_000);
  await until('first applications', async () => ledger.applied.length > 0);
  await first.close(); // a worker restart, whatever it was doing
  t.ok(await flushRedis(), 'Redis held the queue; it is gone');
  await wave(50_001, 75_000); // committed while no process listens
  const second = await start();
  await flushRedis(); // while the second process dispatches and works
  await wave(75_001, EVENTS);
  await start(); // a second process on the same queue
  await until('the consumer reached the head', async () => {
    const c = await db.selectFrom('target_consumer').select('seq').executeTakeFirstOrThrow();
    return Number(c.seq) === EVENTS;
  });
  await second.sweep();
  await until('every row applied', async () =>
    [...(await rowsOf(db, target.id)).values()].every(
      (r) => r.status === 'applied' && r.applied_version === r.desired_version,
    ),
  );

  const rows = await rowsOf(db, target.id);
  t.equal(rows.size, 500, 'one row per account of A, none for B');
  let desired = 0;
  for (const r of rows.values()) {
    desired += r.desired_version;
    if (r.applied_version !== r.desired_version) t.fail(`${r.target_key} not at its last version`);
  }
  t.equal(desired, 500 + forA, 'every event about A counted once: no gap, no double dispatch');
  const applied = new Map<number, number[]>();
  for (const a of ledger.applied)
    applied.set(a.personId, [...(applied.get(a.personId) ?? []), a.desiredVersion]);
  t.equal(applied.size, 500);
  let doubles = 0;
  for (const versions of applied.values()) {
    for (let i = 1; i < versions.length; i += 1) if (versions[i]! <= versions[i - 1]!) doubles += 1;
  }
  t.equal(doubles, 0, 'no version applied twice, none out of order');
});
