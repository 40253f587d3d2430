import t from 'tap';
import { sql, type Database, type Kysely } from '@aaf-sync/db';
import { testDb, testRedis, until } from '@aaf-sync/testing';
import {
  createNoopLedger,
  createTarget,
  createTargetsRuntime,
  driverFor,
  findTarget,
  noopDriver,
  reconcileBatch,
  reconcileTarget,
  type DriverTarget,
  type NoopLedger,
  type TargetDriver,
} from '../src/index.js';
import { box, captureLog, seedAccounts, seedSchools, UAI_A, UAI_B } from './fixtures.js';

/** Every provisioning row with its xmin: any write to a row changes it. */
async function snapshot(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql`
    select xmin::text as x, * from provisioning order by target_id, person_id
  `.execute(db);
  return JSON.stringify(rows);
}

async function work(db: Kysely<Database>, target: DriverTarget, driver: TargetDriver) {
  while ((await reconcileBatch(db, target, driver, { batchSize: 100 })).taken > 0);
}

async function setUp(db: Kysely<Database>, ledger: NoopLedger) {
  await seedSchools(db);
  await seedAccounts(db, { prefix: 'A', structure: 'S-A', count: 3 });
  await seedAccounts(db, { prefix: 'B', structure: 'S-B', count: 2 });
  await createTarget(db, box, { kind: 'noop', name: 'n', uais: [UAI_A, UAI_B], options: {} }, 't');
  const { target, driver } = driverFor(
    { noop: noopDriver(ledger) },
    box,
    await findTarget(db, 'n'),
    { db },
  );
  await work(db, target, driver);
  return { target, driver };
}

t.test(
  'a full reconcile finds what differs, marks it, and a second one writes nothing',
  async (t) => {
    const { db } = await testDb(t);
    const ledger = createNoopLedger();
    const { target, driver } = await setUp(db, ledger);

    const clean = await reconcileTarget(db, target, driver, { dryRun: true });
    t.match(clean, {
      inventory: true,
      totals: { inSync: 5, toCreate: 0, toUpdate: 0, toDisable: 0, pending: 0, orphans: 0 },
      differences: [],
      marked: 0,
    });

    // Drift: A1 vanished from the target, A2 renamed in the directory without an event, B1 left
    // its school, and the target holds an entry nobody knows.
    const a1 = ledger.applied.findIndex((a) => a.jointure === 'A1');
    ledger.applied.splice(a1, 1);
    await sql`update person set given_name = 'Renamed' where jointure = 'A2'`.execute(db);
    await sql`delete from person_structure where person_jointure = 'B1'`.execute(db);
    ledger.applied.push({
      target: 'n',
      personId: 0,
      jointure: 'GHOST',
      desiredVersion: 1,
      previousKey: null,
      present: false,
      entry: { key: 'ghost', attributes: { uais: [UAI_A] } },
    });

    const before = await snapshot(db);
    const dry = await reconcileTarget(db, target, driver, { dryRun: true });
    t.equal(await snapshot(db), before, 'a dry run writes nothing');
    t.match(dry.establishments, [
      { uai: UAI_A, inSync: 1, toCreate: 1, toUpdate: 1, toDisable: 0, orphans: 1 },
      { uai: UAI_B, inSync: 1, toCreate: 0, toUpdate: 0, toDisable: 1, orphans: 0 },
    ]);
    t.same(
      dry.differences.map((d) => [d.jointure, d.action, d.key]),
      [
        ['A1', 'create', 'a1'],
        ['A2', 'update', 'a2'],
        ['B1', 'disable', 'b1'],
      ],
    );
    t.match(dry.orphans, [{ key: 'ghost', uai: UAI_A }]);
    t.equal(dry.marked, 0);

    // One establishment: only B1 is marked; A's rows are untouched.
    const rowsA = async () =>
      JSON.stringify(
        (
          await sql`select r.xmin::text as x, r.* from provisioning r join person p on p.id = r.person_id
          where p.jointure like 'A%' order by r.person_id`.execute(db)
        ).rows,
      );
    const aBefore = await rowsA();
    const onlyB = await reconcileTarget(db, target, driver, { uai: UAI_B });
    t.match(onlyB, { uais: [UAI_B], marked: 1, totals: { toDisable: 1, inSync: 1, orphans: 0 } });
    t.equal(await rowsA(), aBefore, 'a per-establishment reconcile leaves other rows alone');

    const full = await reconcileTarget(db, target, driver);
    t.match(full.totals, { toCreate: 1, toUpdate: 1, toDisable: 0, pending: 1, orphans: 1 });
    t.equal(full.marked, 2);
    const pending = await db
      .selectFrom('provisioning')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    t.equal(Number(pending.n), 3, 'A1, A2 and B1 wait for the worker');

    const appliedBefore = ledger.applied.length;
    await work(db, target, driver);
    const last = ledger.applied.slice(appliedBefore);
    t.same(last.map((a) => a.jointure).sort(), ['A1', 'A2', 'B1'], 'the worker applies them');
    t.equal(last.find((a) => a.jointure === 'A2')!.entry!.attributes.givenName, 'Renamed');
    t.equal(last.find((a) => a.jointure === 'B1')!.entry, null, 'B1 is disabled');
    t.ok(
      ledger.applied.some((a) => a.jointure === 'GHOST'),
      'the orphan is reported, never deleted',
    );

    const settled = await snapshot(db);
    const again = await reconcileTarget(db, target, driver);
    t.match(again, {
      marked: 0,
      totals: { inSync: 4, toCreate: 0, toUpdate: 0, toDisable: 0, pending: 0, orphans: 1 },
    });
    t.equal(await snapshot(db), settled, 'a no-change reconcile writes nothing');

    await t.rejects(reconcileTarget(db, target, driver, { uai: '0999999Z' }), {
      code: 'TARGETS_ERR_NOT_SERVED',
    });
  },
);

t.test(
  'an entry held on the target but unknown to the provisioning state is taken over',
  async (t) => {
    const { db } = await testDb(t);
    const ledger = createNoopLedger();
    const { target, driver } = await setUp(db, ledger);
    // The state lost B2 (a restore), the target still holds it: update, marked present.
    await sql`delete from provisioning where person_id = (select id from person where jointure = 'B2')`.execute(
      db,
    );
    const report = await reconcileTarget(db, target, driver, { uai: UAI_B });
    t.match(report, { marked: 1, differences: [{ jointure: 'B2', action: 'update' }] });
    const row = await sql<{ present: boolean; target_key: string; status: string }>`
    select present, target_key, status from provisioning
    where person_id = (select id from person where jointure = 'B2')
  `.execute(db);
    t.match(row.rows[0], { present: true, target_key: 'b2', status: 'pending' });
  },
);

t.test(
  'the running targets process applies what a reconcile marked (woken by NOTIFY)',
  async (t) => {
    const { db, url } = await testDb(t);
    const redis = await testRedis(t);
    const ledger = createNoopLedger();
    const { target, driver } = await setUp(db, ledger);
    const runtime = createTargetsRuntime({
      db,
      listenUrl: url,
      connection: redis.connect(),
      prefix: redis.prefix,
      log: captureLog('warn').log,
      box,
      drivers: { noop: noopDriver(ledger) },
      batchSize: 10,
      // An hour: only the reconcile's NOTIFY can wake it during this test.
      pollMs: 3_600_000,
    });
    t.teardown(() => runtime.close());
    await runtime.start();
    await sql`update person set sn = 'Moved' where jointure = 'A3'`.execute(db);
    const report = await reconcileTarget(db, target, driver);
    t.match(report, { marked: 1, differences: [{ jointure: 'A3', action: 'update' }] });
    await until('A3 applied again', async () =>
      ledger.applied.some((a) => a.jointure === 'A3' && a.entry?.attributes.sn === 'Moved'),
    );
    t.match(await reconcileTarget(db, target, driver), { marked: 0, totals: { inSync: 5 } });
  },
);
