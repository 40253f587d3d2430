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
import {
  box,
  captureLog,
  personEvents,
  rowsOf,
  seedAccounts,
  seedSchools,
  UAI_A,
  UAI_B,
} from './fixtures.js';

t.test('the no-op target follows the directory through the whole loop', async (t) => {
  const { db, url } = await testDb(t);
  const redis = await testRedis(t);
  const { log } = captureLog('warn');
  await seedSchools(db);
  await seedAccounts(db, { prefix: 'A', structure: 'S-A', count: 4 });
  await seedAccounts(db, { prefix: 'B', structure: 'S-B', count: 2 });
  const target = await createTarget(
    db,
    box,
    { kind: 'noop', name: 'noop-a', uais: [UAI_A], options: {}, secrets: { token: 't0k3n' } },
    'test',
  );
  const scribe = await createTarget(
    db,
    box,
    {
      kind: 'scribe',
      name: 'scribe-a',
      uais: [UAI_A],
      options: { url: 'ldap://scribe.example', baseDn: 'o=gouv,c=fr', bindDn: 'cn=a,o=gouv,c=fr' },
      secrets: { bindPassword: 'x' },
    },
    'test',
  );
  const ledger = createNoopLedger();
  let runtime: TargetsRuntime | undefined;
  const start = async () => {
    runtime = createTargetsRuntime({
      db,
      listenUrl: url,
      connection: redis.connect(),
      prefix: redis.prefix,
      log,
      box,
      drivers: { noop: noopDriver(ledger) },
      batchSize: 2,
      // An hour: only LISTEN/NOTIFY (or an explicit sweep) can wake it during this test.
      pollMs: 3_600_000,
      retryBaseSeconds: 3_600,
    });
    await runtime.start();
  };
  t.teardown(() => runtime?.close());
  const rows = () => rowsOf(db, target.id);
  const settled = async () => [...(await rows()).values()].every((r) => r.status !== 'pending');

  await start();
  await until('initial full reconcile', settled);
  let r = await rows();
  t.same([...r.keys()], ['A1', 'A2', 'A3', 'A4'], 'accounts of B are not this target’s');
  t.match(r.get('A1'), { status: 'applied', applied_version: 1, target_key: 'a1', present: true });
  t.equal(ledger.applied.length, 4, 'each account applied once');

  // An import commit (events) wakes the dispatcher through NOTIFY; the worker reads the
  // directory as it is now, not the event payload.
  await sql`update person set given_name = 'Renamed' where jointure = 'A1'`.execute(db);
  await personEvents(db, ['A1'], [UAI_A]);
  await until('A1 applied again', async () => (await rows()).get('A1')?.applied_version === 2);
  t.match(ledger.applied.at(-1), {
    jointure: 'A1',
    desiredVersion: 2,
    entry: { key: 'a1', attributes: { givenName: 'Renamed', uais: [UAI_A] } },
  });

  // A2 moves to establishment B: its event names both UAIs; the target must drop it.
  await sql`update person_structure set structure_jointure = 'S-B' where person_jointure = 'A2'`.execute(
    db,
  );
  await personEvents(db, ['B1'], [UAI_B]);
  await personEvents(db, ['A2'], [UAI_A, UAI_B]);
  await until('A2 excluded', async () => (await rows()).get('A2')?.status === 'excluded');
  r = await rows();
  t.match(r.get('A2'), { present: false, target_key: null, applied_version: 2 });
  t.match(ledger.applied.at(-1), { jointure: 'A2', entry: null, previousKey: 'a2' });
  t.notOk(r.has('B1'), 'an event of B only: no row');

  // One failing account does not block the others; it waits for its own retry.
  ledger.failing.add('A3');
  const before = ledger.applied.length;
  await personEvents(db, ['A3', 'A4'], [UAI_A]);
  await until('A4 applied, A3 failed', async () => {
    const now = await rows();
    return now.get('A4')?.applied_version === 2 && now.get('A3')?.status === 'failed';
  });
  r = await rows();
  t.match(r.get('A3'), { attempts: 1, last_error: 'refused (noop ledger)', applied_version: 1 });
  t.ok(r.get('A3')!.next_attempt_at.getTime() > Date.now() + 3_000_000, 'backoff per row');
  t.same(
    ledger.applied.slice(before).map((a) => a.jointure),
    ['A4'],
    'only A4 was applied',
  );

  // The target goes down: rows stay pending; when it is back, a sweep catches up.
  ledger.down.add('noop-a');
  await sql`update provisioning set next_attempt_at = now() where person_id in (select id from person where jointure = 'A3')`.execute(
    db,
  );
  ledger.failing.clear();
  await personEvents(db, ['A1', 'A4'], [UAI_A]);
  await until('A1 dispatched', async () => (await rows()).get('A1')?.desired_version === 3);
  await runtime!.close();
  r = await rows();
  t.equal(r.get('A1')?.status, 'pending', 'nothing applied while the target is down');
  t.equal(r.get('A1')?.attempts, 0, 'a target outage does not count against the accounts');
  ledger.down.delete('noop-a');

  await start();
  await until('caught up', settled);
  r = await rows();
  t.match(r.get('A1'), { status: 'applied', applied_version: 3 });
  t.match(r.get('A3'), { status: 'applied', applied_version: 2, attempts: 0, last_error: null });
  t.match(r.get('A4'), { status: 'applied', applied_version: 3 });
  const waiting = [...(await rowsOf(db, scribe.id)).values()];
  t.equal(waiting.length, 4, 'a kind without a driver still gets its provisioning rows');
  t.ok(
    waiting.every((w) => w.status === 'pending' && w.attempts === 0),
    'they wait, pending, for their driver',
  );
  t.ok(
    ledger.applied.every((a) => a.target === 'noop-a'),
    'the noop driver was only asked for its own target',
  );
  const seen = new Set<string>();
  for (const a of ledger.applied) {
    const k = `${a.personId}@${a.desiredVersion}`;
    t.notOk(seen.has(k), `${k} applied once`);
    seen.add(k);
  }
});
