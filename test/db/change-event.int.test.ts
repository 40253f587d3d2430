import t from 'tap';
import { testDb, until } from '@aaf-sync/testing';
import { appendEvents, sql } from '@aaf-sync/db';

t.test('appendEvents writes rows in order with their uais and changes', async (t) => {
  const { db } = await testDb(t);
  await db.transaction().execute(async (trx) => {
    await appendEvents(trx, [
      {
        entityType: 'person',
        entityKey: '1',
        op: 'created',
        version: 1,
        uais: ['0990001N'],
        changes: { sn: 'A' },
      },
      { entityType: 'person', entityKey: '2', op: 'created', version: 1 },
      {
        entityType: 'membership',
        entityKey: '5:1',
        op: 'deleted',
        version: 2,
        uais: ['0990001N', '0990002P'],
        importId: 3,
      },
    ]);
  });
  const rows = await db.selectFrom('change_event').selectAll().orderBy('seq').execute();
  t.same(
    rows.map((r) => [r.entity_key, r.op, r.uais, r.changes, r.import_id]),
    [
      ['1', 'created', ['0990001N'], { sn: 'A' }, null],
      ['2', 'created', [], {}, null],
      ['5:1', 'deleted', ['0990001N', '0990002P'], {}, 3],
    ],
  );
  t.ok(rows[0]!.seq < rows[1]!.seq && rows[1]!.seq < rows[2]!.seq, 'seq follows input order');
});

t.test('concurrent writers commit events in seq order (no gap for a reader)', async (t) => {
  const { db } = await testDb(t);
  // Writer A takes the lock and holds its transaction open; writer B must wait for A's commit.
  let releaseA!: () => void;
  const aHolds = new Promise<void>((r) => (releaseA = r));
  let aInserted!: () => void;
  const aDidInsert = new Promise<void>((r) => (aInserted = r));
  const a = db.transaction().execute(async (trx) => {
    await appendEvents(trx, [{ entityType: 'person', entityKey: 'A', op: 'created', version: 1 }]);
    aInserted();
    await aHolds;
  });
  await aDidInsert;
  let bDone = false;
  const b = db
    .transaction()
    .execute(async (trx) => {
      await appendEvents(trx, [
        { entityType: 'person', entityKey: 'B', op: 'created', version: 1 },
      ]);
    })
    .then(() => (bDone = true));
  // B is seen waiting for the event writers' advisory lock A holds (pg_locks), no fixed sleep.
  await until('B waiting for the event-writer lock', async () => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_locks
      where locktype = 'advisory' and not granted
        and database = (select oid from pg_database where datname = current_database())
    `.execute(db);
    return rows[0]!.n > 0;
  });
  t.equal(bDone, false, 'B waits while A is uncommitted');
  releaseA();
  await Promise.all([a, b]);
  const keys = (
    await db.selectFrom('change_event').select('entity_key').orderBy('seq').execute()
  ).map((r) => r.entity_key);
  t.same(keys, ['A', 'B']);
});
