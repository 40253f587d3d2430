import { testDb } from '@aaf-sync/testing';
import t from 'tap';
import { createSubscription, fillOutbox, type SubscriptionContext } from '../src/index.js';
import { box, personEvents, UAI_A, UAI_B } from './fixtures.js';

t.test(
  'a fill: windows of the log, the cursor moved with the rows, the purge watermark',
  async (t) => {
    const { db } = await testDb(t);
    const ctx: SubscriptionContext = { db, box, allowPrivate: true, rotationWindowMs: 3_600_000 };
    await createSubscription(
      ctx,
      { name: 'hook-a', url: 'http://127.0.0.1:9/hooks', uais: [UAI_A], eventTypes: ['account.*'] },
      'test',
    );
    const id = Number((await db.selectFrom('target').select('id').executeTakeFirstOrThrow()).id);
    const cursor = async () =>
      Number(
        (
          await db
            .selectFrom('target_consumer')
            .select('seq')
            .where('target_id', '=', id)
            .executeTakeFirstOrThrow()
        ).seq,
      );
    const start = await cursor();
    t.equal(await fillOutbox(db, id), undefined, 'at the head: nothing');
    await personEvents(db, ['P1', 'P2', 'P3'], [UAI_A]);
    t.same(await fillOutbox(db, id, 2), {
      targetId: id,
      events: 2,
      cursor: start + 2,
      deliveries: 2,
    });
    t.equal(await cursor(), start + 2, 'the cursor moved with the rows');
    t.same(await fillOutbox(db, id, 2), {
      targetId: id,
      events: 1,
      cursor: start + 3,
      deliveries: 1,
    });
    // Events of another establishment only: the cursor moves over them, no row.
    await personEvents(db, ['Q1', 'Q2'], [UAI_B]);
    t.same(await fillOutbox(db, id), { targetId: id, events: 2, cursor: start + 5, deliveries: 0 });
    t.equal(await cursor(), start + 5, 'moved without rows too');
    t.equal(
      await db
        .selectFrom('webhook_delivery')
        .select('id')
        .execute()
        .then((r) => r.length),
      3,
    );
    // Events after the cursor purged: the subscription waits (reset or replay), its cursor stays.
    await personEvents(db, ['P4'], [UAI_A]);
    await db
      .insertInto('change_event_purge')
      .values({ through_seq: start + 6, older_than: new Date(), actor: 'test' })
      .execute();
    t.equal(await fillOutbox(db, id), undefined, 'behind the watermark: nothing');
    t.equal(await cursor(), start + 5);
    // A suspended subscription is not filled.
    await db.updateTable('target').set({ state: 'suspended' }).where('id', '=', id).execute();
    t.equal(await fillOutbox(db, id), undefined, 'suspended: nothing');
  },
);
