import { sql, type Database, type Kysely } from '@aaf-sync/db';
import { testDb, testRedis, until } from '@aaf-sync/testing';
import t from 'tap';
import {
  createNoopLedger,
  createTarget,
  createTargetsRuntime,
  driverFor,
  findTarget,
  noopDriver,
  purgeGroupsBatch,
  type DriverFactory,
  type GroupPurgeItem,
  type GroupPurgeResult,
  type TargetsRuntime,
} from '../src/index.js';
import { box, captureLog, seedSchools, UAI_A } from './fixtures.js';

/** A noop target and an empty-groups campaign that deleted classes `codes` (group_purge rows). */
async function world(db: Kysely<Database>, codes: readonly string[]) {
  await seedSchools(db);
  const row = await createTarget(
    db,
    box,
    { kind: 'noop', name: 'noop-a', uais: [UAI_A], options: {}, secrets: {} },
    'test',
  );
  const { rows } = await sql<{ id: number }>`
    insert into campaign (school_year, name, kind, target_kind, approval, preview_at, run_at)
    values ('2025-2026', 'noop-empty-groups', 'empty-groups', 'noop', 'none', now(), now())
    returning id`.execute(db);
  const campaignId = Number(rows[0]!.id);
  for (const code of codes) {
    await sql`insert into group_purge (campaign_id, target_id, subject, uai, kind, code)
      values (${campaignId}, ${row.id}, ${`group:${code}`}, ${UAI_A}, 'class', ${code})`.execute(
      db,
    );
  }
  return { targetId: row.id, campaignId };
}

const purges = async (db: Kysely<Database>) =>
  (
    await sql<{
      code: string;
      status: string;
      reason: string | null;
      attempts: number;
      last_error: string | null;
      next_attempt_at: Date;
    }>`select code, status, reason, attempts, last_error, next_attempt_at from group_purge
      order by code`.execute(db)
  ).rows;

/** The noop driver with a `purgeGroups` answering `answer` (and recording what it was asked). */
function withPurge(answer: (g: GroupPurgeItem) => GroupPurgeResult | 'throw') {
  const asked: string[] = [];
  const factory: DriverFactory = (target, context) => ({
    ...noopDriver(createNoopLedger())(target, context),
    async purgeGroups(groups) {
      asked.push(...groups.map((g) => g.code));
      return groups.map((g) => {
        const r = answer(g);
        if (r === 'throw') throw new Error('target unavailable');
        return r;
      });
    },
  });
  return { factory, asked };
}

async function driverOf(db: Kysely<Database>, factory: DriverFactory) {
  return driverFor({ noop: factory }, box, await findTarget(db, 'noop-a'), { db });
}

t.test('a kind without purgeGroups: its purges are skipped with the reason', async (t) => {
  const { db } = await testDb(t);
  await world(db, ['6A', '6B']);
  const { target, driver } = await driverOf(db, noopDriver());
  t.same(await purgeGroupsBatch(db, target, driver, { batchSize: 10 }), {
    taken: 2,
    deleted: 0,
    skipped: 2,
    failed: 0,
  });
  t.match(await purges(db), [
    { code: '6A', status: 'skipped', reason: 'the noop driver deletes no groups' },
    { code: '6B', status: 'skipped' },
  ]);
  t.match(await purgeGroupsBatch(db, target, driver, { batchSize: 10 }), { taken: 0 });
});

t.test('refusals are retried with backoff, then failed; an outage changes nothing', async (t) => {
  const { db } = await testDb(t);
  await world(db, ['6A', '6B', '6C']);
  const refused = withPurge((g) =>
    g.code === '6B'
      ? { id: g.id, outcome: 'failed', error: 'refused (66)' }
      : { id: g.id, outcome: 'deleted', removed: g.code === '6A' ? [`cn=${g.code}`] : [] },
  );
  const { target, driver } = await driverOf(db, refused.factory);
  const o = { batchSize: 10, retryBaseSeconds: 600, maxAttempts: 2 };
  t.same(await purgeGroupsBatch(db, target, driver, o), {
    taken: 3,
    deleted: 2,
    skipped: 0,
    failed: 1,
  });
  let rows = await purges(db);
  t.match(rows, [
    { code: '6A', status: 'deleted', reason: null },
    { code: '6B', status: 'pending', attempts: 1, last_error: 'refused (66)' },
    { code: '6C', status: 'deleted', reason: 'not on the target' },
  ]);
  t.ok(rows[1]!.next_attempt_at.getTime() > Date.now() + 500_000, 'waits for its backoff');
  t.match(await purgeGroupsBatch(db, target, driver, o), { taken: 0 }, 'not due yet');

  await sql`update group_purge set next_attempt_at = now()`.execute(db);
  t.match(await purgeGroupsBatch(db, target, driver, o), { taken: 1, failed: 1 });
  t.match(await purges(db), [{}, { code: '6B', status: 'failed', attempts: 2 }, {}]);
  t.same(refused.asked, ['6A', '6B', '6C', '6B'], 'done purges are never asked again');

  // The target unavailable: the batch throws, the row records why and waits.
  await sql`update group_purge set status = 'pending', attempts = 0, next_attempt_at = now()
    where code = '6B'`.execute(db);
  const down = withPurge(() => 'throw');
  const other = await driverOf(db, down.factory);
  await t.rejects(purgeGroupsBatch(db, other.target, other.driver, o), /target unavailable/);
  rows = await purges(db);
  t.match(rows[1], { status: 'pending', attempts: 1, last_error: 'target unavailable' });
  t.ok(rows[1]!.next_attempt_at.getTime() > Date.now() + 500_000);
});

t.test('the targets process works the purges of a target with no account due', async (t) => {
  const { db } = await testDb(t);
  const redis = await testRedis(t);
  const { log } = captureLog('warn');
  await world(db, ['6A']);
  const deleting = withPurge((g) => ({ id: g.id, outcome: 'deleted', removed: [`cn=${g.code}`] }));
  const runtime: TargetsRuntime = createTargetsRuntime({
    db,
    connection: redis.connect(),
    prefix: redis.prefix,
    log,
    box,
    drivers: { noop: deleting.factory },
    batchSize: 10,
    pollMs: 3_600_000,
  });
  t.teardown(() => runtime.close());
  await runtime.start();
  await until('the purge done', async () => (await purges(db))[0]?.status === 'deleted');
  t.same(deleting.asked, ['6A']);
});
