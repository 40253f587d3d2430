import t from 'tap';
import { purgeEvents, sql } from '@aaf-sync/db';
import { testDb } from '@aaf-sync/testing';
import {
  consumerStatuses,
  createTarget,
  dispatchAll,
  resetConsumer,
  setTargetState,
} from '../src/index.js';
import { box, personEvents, rowsOf, seedAccounts, seedSchools, UAI_A } from './fixtures.js';

t.test(
  'a lagging consumer is flagged, holds the purge, and a reset reconciles it in full',
  async (t) => {
    const { db } = await testDb(t);
    await seedSchools(db);
    await seedAccounts(db, { prefix: 'A', structure: 'S-A', count: 3 });
    const def = (name: string) => ({ kind: 'noop', name, uais: [UAI_A], options: {} });
    const fast = await createTarget(db, box, def('fast'), 'test');
    const slow = await createTarget(db, box, def('slow'), 'test');
    await personEvents(db, ['A1'], [UAI_A]);
    await personEvents(db, ['A2'], [UAI_A]);
    await sql`update change_event set occurred_at = now() - interval '100 days'`.execute(db);
    await personEvents(db, ['A3'], [UAI_A]);
    // Only `fast` is dispatched: `slow` stays at its creation cursor.
    await sql`update target set state = 'suspended' where name = 'slow'`.execute(db);
    await dispatchAll(db);
    await sql`update target set state = 'active' where name = 'slow'`.execute(db);

    let statuses = await consumerStatuses(db, { retentionDays: 90 });
    t.match(statuses, [
      { target: 'fast', lagging: false, behind: 0, needsReset: false },
      { target: 'slow', lagging: true, behind: 3, needsReset: false, pendingRows: 3 },
    ]);
    const purged = await purgeEvents(db, {
      olderThan: new Date(Date.now() - 90 * 86_400_000),
      actor: 'test',
    });
    t.match(purged, { deleted: 0, heldBy: { target: 'slow' } }, 'the purge waits for it');

    const before = await rowsOf(db, slow.id);
    const reset = await resetConsumer(db, 'slow', 'cli:test');
    t.equal(reset.rows, 3, 'every account pending again');
    const after = await rowsOf(db, slow.id);
    t.equal(after.get('A1')!.desired_version, before.get('A1')!.desired_version + 1);
    statuses = await consumerStatuses(db, { retentionDays: 90 });
    t.match(statuses[1], { target: 'slow', lagging: false, behind: 0 });
    const reset2 = await db
      .selectFrom('target_consumer')
      .selectAll()
      .where('target_id', '=', slow.id)
      .executeTakeFirstOrThrow();
    t.equal(reset2.reset_by, 'cli:test');
    t.match(
      await purgeEvents(db, { olderThan: new Date(Date.now() - 90 * 86_400_000), actor: 'test' }),
      { deleted: 2 },
      'then the purge proceeds',
    );

    // A suspended target does not hold the log back; once purged past it, it needs a reset,
    // which resumption does.
    await setTargetState(db, 'fast', 'suspended', 'test');
    await personEvents(db, ['A1'], [UAI_A]);
    await dispatchAll(db);
    await sql`update change_event set occurred_at = now() - interval '100 days'`.execute(db);
    await purgeEvents(db, { olderThan: new Date(Date.now() - 90 * 86_400_000), actor: 'test' });
    t.match((await consumerStatuses(db, { retentionDays: 90 }))[0], {
      target: 'fast',
      needsReset: true,
      lagging: false,
    });
    const resumed = await setTargetState(db, 'fast', 'active', 'test');
    t.match((await consumerStatuses(db, { retentionDays: 90 }))[0], { needsReset: false });
    t.ok(resumed.cursor! > 0);
    t.equal(
      (await rowsOf(db, fast.id)).get('A2')!.status,
      'pending',
      'resumption reconciles in full',
    );
  },
);
