import t from 'tap';
import { sql, type Database, type Kysely } from '@aaf-sync/db';
import { testDb } from '@aaf-sync/testing';
import {
  createNoopLedger,
  createTarget,
  driverFor,
  findTarget,
  noopDriver,
  reconcileDue,
  TargetsErrors,
  type ApplyItem,
  type NoopLedger,
  type TargetDriver,
} from '../src/index.js';
import { box, seedAccounts, seedSchools, UAI_A } from './fixtures.js';

/**
 * The no-op driver with `lanes`, recording how many applies run at once. With lanes, the first
 * batch waits at the driver until a second one arrives (so two are in flight, whatever the
 * timing); `fail(j)` makes the apply of the batch holding jointure `j` throw (unavailable).
 */
async function world(db: Kysely<Database>, lanes: number, ledger: NoopLedger = createNoopLedger()) {
  await seedSchools(db);
  await seedAccounts(db, { prefix: 'A', structure: 'S-A', count: 25 });
  await createTarget(db, box, { kind: 'noop', name: 'n', uais: [UAI_A], options: {} }, 't');
  const { target, driver: inner } = driverFor(
    { noop: noopDriver(ledger) },
    box,
    await findTarget(db, 'n'),
    { db },
  );
  const seen = { inFlight: 0, most: 0, batches: 0 };
  let failOn: string | undefined;
  let second!: () => void;
  const secondArrived = new Promise<void>((resolve) => (second = resolve));
  const driver: TargetDriver = {
    ...inner,
    lanes,
    async apply(batch: readonly ApplyItem[]) {
      seen.inFlight += 1;
      seen.batches += 1;
      seen.most = Math.max(seen.most, seen.inFlight);
      try {
        if (seen.batches === 2) second();
        if (seen.batches === 1 && lanes > 1) await secondArrived;
        if (failOn !== undefined && batch.some((i) => i.jointure === failOn)) {
          throw TargetsErrors.UNAVAILABLE({ name: target.name, reason: 'down mid-run' });
        }
        return await inner.apply(batch);
      } finally {
        seen.inFlight -= 1;
      }
    },
  };
  const statuses = async () => {
    const { rows } = await sql<{ status: string; n: number }>`
      select status, count(*)::int as n from provisioning group by status order by status
    `.execute(db);
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  };
  return { target, driver, seen, ledger, statuses, fail: (j: string) => (failOn = j) };
}

t.test('a driver with two lanes gets two batches at once, each account once', async (t) => {
  const { db } = await testDb(t);
  const w = await world(db, 2);
  const r = await reconcileDue(db, w.target, w.driver, { batchSize: 5 });
  t.match(r, { taken: 25, applied: 25, failed: 0, more: false });
  t.equal(w.seen.most, 2, 'two batches were at the driver together');
  const applied = w.ledger.applied.map((a) => a.jointure).sort();
  t.equal(applied.length, 25);
  t.equal(new Set(applied).size, 25, 'no account applied twice');
  t.same(await w.statuses(), { applied: 25 });
});

t.test('without lanes the batches go one after the other, as before', async (t) => {
  const { db } = await testDb(t);
  const w = await world(db, 1);
  t.match(await reconcileDue(db, w.target, w.driver, { batchSize: 5 }), { applied: 25 });
  t.equal(w.seen.most, 1);
  t.equal(w.seen.batches, 5, 'five full batches (the empty sixth never reaches the driver)');
});

t.test('stop after a full batch: what is left waits for the next job', async (t) => {
  const { db } = await testDb(t);
  const w = await world(db, 2);
  let checks = 0;
  const r = await reconcileDue(db, w.target, w.driver, {
    batchSize: 5,
    stop: () => (checks += 1) >= 2,
  });
  // Two batches side by side; the first check lets its lane take a third, the others stop.
  t.match(r, { more: true, applied: 15 });
  t.same(await w.statuses(), { applied: 15, pending: 10 });
});

t.test('a lane that fails: the others finish their batch, its rows stay pending', async (t) => {
  const { db } = await testDb(t);
  const w = await world(db, 2);
  w.fail('A3');
  await t.rejects(reconcileDue(db, w.target, w.driver, { batchSize: 5 }), {
    code: 'TARGETS_ERR_UNAVAILABLE',
  });
  // The other lane's batch (A6…A10) went through; A1…A5 and the rest wait.
  t.same(await w.statuses(), { applied: 5, pending: 20 });
  t.same(
    w.ledger.applied.map((a) => a.jointure),
    ['A6', 'A7', 'A8', 'A9', 'A10'],
  );
  // Back up: the rest goes through, each account once.
  w.fail('none');
  t.match(await reconcileDue(db, w.target, w.driver, { batchSize: 5 }), { failed: 0 });
  t.same(await w.statuses(), { applied: 25 });
  t.equal(new Set(w.ledger.applied.map((a) => a.jointure)).size, 25);
});
