import t from 'tap';
import { sql, type Database, type Kysely } from '@aaf-sync/db';
import { testDb } from '@aaf-sync/testing';
import {
  createNoopLedger,
  createTarget,
  driverFor,
  findTarget,
  noopDriver,
  reconcileBatch,
  reconcileTarget,
  type DriverTarget,
  type NoopLedger,
  type TargetDriver,
} from '../src/index.js';
import { box, seedAccounts, seedSchools, UAI_A, UAI_B } from './fixtures.js';

/** Chunks of one account: every establishment is compared on its own. */
const CHUNKED = { chunkAccounts: 1 };
/** One chunk: the whole target at once. */
const WHOLE = { chunkAccounts: 1_000_000 };

async function work(db: Kysely<Database>, target: DriverTarget, driver: TargetDriver) {
  while ((await reconcileBatch(db, target, driver, { batchSize: 100 })).taken > 0);
}

/** The provisioning state as a reconcile leaves it (no timestamps). */
async function rows(db: Kysely<Database>): Promise<unknown[]> {
  const { rows } = await sql`
    select p.jointure, r.status, r.desired_version, r.present, r.target_key
    from provisioning r join person p on p.id = r.person_id order by p.jointure
  `.execute(db);
  return rows;
}

/**
 * Two schools provisioned through the noop driver, then drift of every kind a chunk cannot
 * decide alone: A3 moved to school B (its entry is still held under A), B1 left the target
 * (only its row names it; counted where the target holds it), the state lost B2's row (the target holds it), A1 vanished from the
 * target, A2 renamed, A4's row failed, and an entry nobody explains (an orphan).
 */
async function drifted(db: Kysely<Database>, ledger: NoopLedger) {
  await seedSchools(db);
  await seedAccounts(db, { prefix: 'A', structure: 'S-A', count: 4 });
  await seedAccounts(db, { prefix: 'B', structure: 'S-B', count: 2 });
  await createTarget(db, box, { kind: 'noop', name: 'n', uais: [UAI_A, UAI_B], options: {} }, 't');
  const { target, driver } = driverFor(
    { noop: noopDriver(ledger) },
    box,
    await findTarget(db, 'n'),
    { db },
  );
  await work(db, target, driver);

  ledger.applied.splice(
    ledger.applied.findIndex((a) => a.jointure === 'A1'),
    1,
  );
  await sql`update person set given_name = 'Renamed' where jointure = 'A2'`.execute(db);
  await sql`update person_structure set structure_jointure = 'S-B'
    where person_jointure = 'A3'`.execute(db);
  await sql`delete from person_structure where person_jointure = 'B1'`.execute(db);
  await sql`delete from provisioning
    where person_id = (select id from person where jointure = 'B2')`.execute(db);
  await sql`update provisioning set status = 'failed'
    where person_id = (select id from person where jointure = 'A4')`.execute(db);
  ledger.applied.push({
    target: 'n',
    personId: 0,
    jointure: 'GHOST',
    desiredVersion: 1,
    previousKey: null,
    present: false,
    entry: { key: 'ghost', attributes: { uais: [UAI_A] } },
  });
  return { target, driver };
}

t.test('a full reconcile in chunks reports what the whole one does', async (t) => {
  const { db } = await testDb(t);
  const ledger = createNoopLedger();
  const { target, driver } = await drifted(db, ledger);

  const whole = await reconcileTarget(db, target, driver, { ...WHOLE, dryRun: true });
  const chunked = await reconcileTarget(db, target, driver, { ...CHUNKED, dryRun: true });
  t.same(chunked, whole, 'the same report, orphans and counts per establishment');
  t.match(whole.establishments, [
    { uai: UAI_A, inSync: 0, toCreate: 1, toUpdate: 1, pending: 1, orphans: 1 },
    { uai: UAI_B, inSync: 0, toCreate: 0, toUpdate: 2, toDisable: 1, orphans: 0 },
  ]);
  t.same(
    whole.differences.map((d) => [d.jointure, d.action, d.reason]),
    [
      ['A1', 'create', 'absent from the target'],
      ['A2', 'update', 'attributes differ'],
      ['A3', 'update', 'attributes differ'],
      ['B1', 'disable', 'out of scope'],
      ['B2', 'update', 'held by the target, unknown to the provisioning state'],
    ],
  );
  t.match(whole.orphans, [{ key: 'ghost', uai: UAI_A }]);
});

t.test('the chunked reconcile marks what the whole one marks, then writes nothing', async (t) => {
  const one = await testDb(t);
  const other = await testDb(t);
  const a = await drifted(one.db, createNoopLedger());
  const b = await drifted(other.db, createNoopLedger());

  const whole = await reconcileTarget(one.db, a.target, a.driver, WHOLE);
  const chunked = await reconcileTarget(other.db, b.target, b.driver, CHUNKED);
  t.equal(chunked.marked, 5);
  t.same(chunked, whole);
  t.same(await rows(other.db), await rows(one.db), 'the same rows set pending, the same way');

  await work(other.db, b.target, b.driver);
  const settled = await rows(other.db);
  const again = await reconcileTarget(other.db, b.target, b.driver, CHUNKED);
  t.match(again, {
    marked: 0,
    totals: { inSync: 5, toCreate: 0, toUpdate: 0, toDisable: 0, pending: 0, orphans: 1 },
  });
  t.same(await rows(other.db), settled, 'in sync: nothing written');
});
