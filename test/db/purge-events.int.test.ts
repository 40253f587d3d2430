import t from 'tap';
import { testDb } from '@aaf-sync/testing';
import { appendEvents, eventWatermark, purgeEvents, slowestConsumer, sql } from '@aaf-sync/db';

t.test('purgeEvents deletes a prefix of the log and records the watermark', async (t) => {
  const { db } = await testDb(t);
  t.equal(await eventWatermark(db), 0, 'nothing purged yet');
  t.same(await purgeEvents(db, { olderThan: new Date(), actor: 'test' }), {
    watermark: 0,
    deleted: 0,
  });
  await db.transaction().execute((trx) =>
    appendEvents(
      trx,
      [1, 2, 3, 4, 5].map((n) => ({
        entityType: 'person' as const,
        entityKey: `P${n}`,
        op: 'created' as const,
        version: 1,
      })),
    ),
  );
  const seqs = (await db.selectFrom('change_event').select('seq').orderBy('seq').execute()).map(
    (r) => r.seq,
  );
  // Age the first three events.
  await sql`update change_event set occurred_at = now() - interval '100 days' where seq <= ${seqs[2]!}`.execute(
    db,
  );
  const cutoff = new Date(Date.now() - 90 * 86_400_000);
  const result = await purgeEvents(db, { olderThan: cutoff, actor: 'test', batchSize: 2 });
  t.same(result, { watermark: seqs[2], deleted: 3 }, 'batches of 2 delete all three');
  t.equal(await eventWatermark(db), seqs[2]);
  const left = (
    await db.selectFrom('change_event').select('entity_key').orderBy('seq').execute()
  ).map((r) => r.entity_key);
  t.same(left, ['P4', 'P5']);
  const purge = await db.selectFrom('change_event_purge').selectAll().execute();
  t.match(purge, [{ through_seq: seqs[2], deleted: 3, actor: 'test' }]);

  t.same(
    await purgeEvents(db, { olderThan: cutoff, actor: 'test' }),
    { watermark: seqs[2], deleted: 0 },
    'idempotent',
  );
});

t.test('the watermark never goes back and a half-done purge is finished', async (t) => {
  const { db } = await testDb(t);
  await db.transaction().execute((trx) =>
    appendEvents(
      trx,
      [1, 2, 3].map((n) => ({
        entityType: 'person' as const,
        entityKey: `P${n}`,
        op: 'created' as const,
        version: 1,
      })),
    ),
  );
  const seqs = (await db.selectFrom('change_event').select('seq').orderBy('seq').execute()).map(
    (r) => r.seq,
  );
  // A purge that recorded its watermark (seq 2) but died before deleting.
  await db
    .insertInto('change_event_purge')
    .values({ through_seq: seqs[1]!, older_than: new Date(), actor: 'crashed' })
    .execute();
  const result = await purgeEvents(db, { olderThan: new Date(0), actor: 'test' });
  t.same(result, { watermark: seqs[1], deleted: 2 });
  t.equal(await eventWatermark(db), seqs[1]);
});

t.test('the purge never passes the slowest active target consumer', async (t) => {
  const { db } = await testDb(t);
  await db.transaction().execute((trx) =>
    appendEvents(
      trx,
      [1, 2, 3, 4].map((n) => ({
        entityType: 'person' as const,
        entityKey: `P${n}`,
        op: 'created' as const,
        version: 1,
      })),
    ),
  );
  const seqs = (await db.selectFrom('change_event').select('seq').orderBy('seq').execute()).map(
    (r) => r.seq,
  );
  await sql`update change_event set occurred_at = now() - interval '100 days'`.execute(db);
  const target = async (name: string, seq: number, state: 'active' | 'suspended') => {
    const { id } = await db
      .insertInto('target')
      .values({ name, kind: 'noop', uais: ['0750001A'], options: {}, state, created_by: 'test' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('target_consumer').values({ target_id: id, seq }).execute();
  };
  await target('fast', seqs[3]!, 'active');
  await target('slow', seqs[1]!, 'active');
  await target('asleep', 0, 'suspended');
  t.same(
    await slowestConsumer(db),
    { target: 'slow', seq: seqs[1] },
    'suspended ones do not count',
  );
  const cutoff = new Date(Date.now() - 90 * 86_400_000);
  t.same(await purgeEvents(db, { olderThan: cutoff, actor: 'test' }), {
    watermark: seqs[1],
    deleted: 2,
    heldBy: { target: 'slow', seq: seqs[1] },
  });
  t.same(
    (await db.selectFrom('change_event').select('entity_key').orderBy('seq').execute()).map(
      (r) => r.entity_key,
    ),
    ['P3', 'P4'],
    'what the slow consumer has not read is kept',
  );
  await db.updateTable('target_consumer').set({ seq: seqs[3]! }).execute();
  t.same(await purgeEvents(db, { olderThan: cutoff, actor: 'test' }), {
    watermark: seqs[3],
    deleted: 2,
  });
});
