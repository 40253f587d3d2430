import { cpSync, existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import t, { type Test } from 'tap';
import { loadConfig } from '@aaf-sync/config';
import { createIngestDeps } from '@aaf-sync/ingest';
import { createLogger } from '@aaf-sync/logger';
import { ownRedis, testDb, testRedis, until, within } from '@aaf-sync/testing';
import type { Redis } from 'ioredis';
import { createIngester, purgeArchive, scanInbox } from '../src/index.js';

const SAMPLES = resolve(import.meta.dirname, '../../../test/fixtures/aaf-samples/2d');
const silent = createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));

function dropDelivery(inbox: string, pick: string): void {
  for (const name of readdirSync(SAMPLES)) {
    if (name.includes(pick)) cpSync(join(SAMPLES, name), join(inbox, name));
  }
}

/**
 * Note for callers: tap removes a `t.testdir()` folder before running the teardowns when the
 * folder was made before the first `t.teardown` of the test (the ingester would still be
 * moving files in it); here `testDb` registers its teardown first.
 */
/**
 * No periodic scan (AAF_INBOX_POLL_SECONDS one hour): the scans that matter are the one `start`
 * runs and those the test calls, so nothing waits on a poll interval.
 */
async function setup(t: Test, connection?: Redis) {
  const { db, url } = await testDb(t);
  const redis = await testRedis(t);
  const dir = t.testdir({ inbox: {}, archive: {} });
  const config = loadConfig({
    DATABASE_URL: url,
    REDIS_URL: redis.url,
    AAF_INBOX_DIR: join(dir, 'inbox'),
    AAF_ARCHIVE_DIR: join(dir, 'archive'),
    AAF_INBOX_POLL_SECONDS: '3600',
  });
  const ingester = createIngester({
    config,
    db,
    log: silent,
    deps: createIngestDeps(config, db, silent),
    connection: connection ?? redis.connect(),
    prefix: redis.prefix,
    settleMs: 0,
    shutdownTimeoutMs: 15_000,
  });
  t.teardown(() => ingester.close());
  return { db, config, ingester, inbox: join(dir, 'inbox'), archive: join(dir, 'archive') };
}

t.test('deliveries dropped in the inbox are imported in date order and archived', async (t) => {
  const s = await setup(t);
  dropDelivery(s.inbox, 'Delta');
  dropDelivery(s.inbox, 'Complet');
  writeFileSync(join(s.inbox, 'notes.txt'), 'not a delivery');
  await s.ingester.start();
  t.same(
    (await s.ingester.scan()).map((e) => e.kind).sort(),
    ['complete', 'delta'],
    'both deliveries queued by the first scan',
  );
  const runs = await until('two imports', async () => {
    const rows = await s.db
      .selectFrom('import_run')
      .select(['id', 'kind', 'status'])
      .orderBy('id')
      .execute();
    return (
      rows.length === 2 &&
      rows.every((r) => r.status !== 'planning' && r.status !== 'applying') &&
      rows
    );
  });
  t.same(
    runs.map((r) => [r.kind, r.status]),
    [
      ['complete', 'applied'],
      ['delta', 'applied'],
    ],
    'the complete first, then the delta',
  );
  // an archive folder is made before the files move into it, one by one: wait for the moves
  const archived = await until(
    'both deliveries archived, only notes.txt left in the inbox',
    async () =>
      readdirSync(s.archive).length === 2 &&
      readdirSync(s.inbox).join() === 'notes.txt' &&
      readdirSync(s.archive).sort(),
  );
  t.match(archived[0], new RegExp(`^${runs[0]!.id}-`), 'archived under the import id');
  t.same(readdirSync(s.inbox), ['notes.txt'], 'the inbox keeps only what is not a delivery');
});

t.test('scanInbox waits until a delivery stopped changing', async (t) => {
  const dir = t.testdir();
  dropDelivery(dir, 'Complet');
  const now = Date.now();
  t.same(await scanInbox(dir, 60_000, now), [], 'too fresh');
  const ready = await scanInbox(dir, 0, now + 1);
  t.equal(ready.length, 1);
  t.equal(ready[0]!.paths.length, 6, 'the loose files of one delivery form one entry');
  t.equal(ready[0]!.date, '2024-09-07');
});

t.test('the archive is purged after its retention', async (t) => {
  const dir = t.testdir({ 'old-1': { 'a.xml': 'x' }, 'new-2': { 'b.xml': 'y' } });
  const old = new Date(Date.now() - 200 * 86_400_000);
  utimesSync(join(dir, 'old-1'), old, old);
  t.same(await purgeArchive(dir, 183), ['old-1']);
  t.ok(existsSync(join(dir, 'new-2')));
});

t.test('a Redis restart loses no delivery', async (t) => {
  // A redis-server of this test's own: killing it never touches the shared Redis.
  const own = await ownRedis(t);
  // the one scan that matters is the test's own, while Redis is down
  const s = await setup(t, own.connect());
  await s.ingester.start();
  t.same(await s.ingester.scan(), [], 'the first scan (from start) found an empty inbox');
  await own.kill();
  dropDelivery(s.inbox, 'Complet');
  // A scan while Redis is down waits for it (the connection queues its commands) ...
  const scanned = s.ingester.scan();
  await own.start();
  // ... and queues the delivery in the new, empty Redis.
  const entries = await within('the scan after the restart', scanned, 30_000);
  t.same(
    entries.map((e) => e.kind),
    ['complete'],
    'the delivery dropped while Redis was down is queued',
  );
  const run = await until('the import after the restart', async () =>
    s.db
      .selectFrom('import_run')
      .select(['id', 'status'])
      .where('status', '=', 'applied')
      .executeTakeFirst(),
  );
  // The run is applied before its files are archived: wait for the whole job, so that the
  // test never ends (and its folders go) while the ingester is still moving files.
  await until('the delivery archived', async () =>
    readdirSync(s.archive).some((n) => n.startsWith(`${run.id}-`)),
  );
  t.equal(await s.ingester.close(), true, 'the ingester closed in time');
});
