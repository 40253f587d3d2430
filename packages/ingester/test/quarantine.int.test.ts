// Poison deliveries: a delivery that fails for good (non-retryable error, attempts exhausted,
// worker died) leaves the inbox for AAF_QUARANTINE_DIR with a `<name>.error.json`, the ingester
// keeps working, and a fixed delivery of the same name is imported (the failed job's id does not
// block it). Real PostgreSQL and Redis (own prefix); temp inbox, archive and quarantine.
import { createReadStream } from 'node:fs';
import { copyFile, readdir, readFile, rename, stat, utimes } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import t, { type Test } from 'tap';
import { loadConfig } from '@aaf-sync/config';
import { createDb, type Database, type Kysely } from '@aaf-sync/db';
import { createIngestDeps } from '@aaf-sync/ingest';
import { closeAll, createProducer, startWorker } from '@aaf-sync/jobs';
import { createLogger } from '@aaf-sync/logger';
import { testDb, testRedis, until } from '@aaf-sync/testing';
import { createIngester, DeliveryQueue, scanInbox, type QuarantineRecord } from '../src/index.js';
import { truncateTo, writeTgz } from '../../../packages/aaf/test/hostile.js';

const SAMPLE = resolve(
  import.meta.dirname,
  '../../../test/fixtures/aaf-samples/2d/ENT_TEST_Complet_20240907_EtabEducNat_0000.xml',
);
const ARCHIVE = 'ENT2D.20240907.Complet.tgz';
const silent = createLogger({ level: 'silent' }, new Writable({ write: (_c, _e, done) => done() }));

/** A good delivery: a tgz holding the sample structures file. */
async function goodTgz(path: string): Promise<void> {
  const { size } = await stat(SAMPLE);
  await writeTgz(
    path,
    'ENT_TEST_Complet_20240907_EtabEducNat_0000.xml',
    size,
    createReadStream(SAMPLE),
  );
}

/**
 * A good delivery dropped into the inbox whole: written under a hidden name, then renamed (the
 * tests scan with settleMs 0, so a scan must not catch it half-written).
 */
async function dropGoodTgz(inbox: string, name = ARCHIVE): Promise<void> {
  const aside = join(inbox, `.${name}`);
  await goodTgz(aside);
  await rename(aside, join(inbox, name));
}

/**
 * `engineDb`: the database the engine imports into (default: the test's own); `log`: the
 * ingester's logger (default: silent).
 */
async function setup(t: Test, engineDb?: Kysely<Database>, log = silent) {
  const { db, url } = await testDb(t);
  const redis = await testRedis(t);
  const dir = t.testdir({ inbox: {}, archive: {}, quarantine: {} });
  const config = loadConfig({
    DATABASE_URL: url,
    REDIS_URL: redis.url,
    AAF_INBOX_DIR: join(dir, 'inbox'),
    AAF_ARCHIVE_DIR: join(dir, 'archive'),
    AAF_QUARANTINE_DIR: join(dir, 'quarantine'),
    AAF_INBOX_POLL_SECONDS: '1',
  });
  const ingester = createIngester({
    config,
    db,
    log,
    deps: createIngestDeps(config, engineDb ?? db, silent),
    connection: redis.connect(),
    prefix: redis.prefix,
    settleMs: 0,
    attempts: 2,
    backoffMs: 50,
  });
  t.teardown(() => ingester.close());
  const applied = () =>
    until('an applied import', async () => {
      const row = await db
        .selectFrom('import_run')
        .select(['id', 'status'])
        .where('status', '=', 'applied')
        .executeTakeFirst();
      return row;
    });
  return {
    db,
    redis,
    ingester,
    applied,
    inbox: join(dir, 'inbox'),
    archive: join(dir, 'archive'),
    quarantine: join(dir, 'quarantine'),
  };
}

async function record(quarantine: string, name: string): Promise<QuarantineRecord> {
  const file = join(quarantine, `${name}.error.json`);
  await until(`${name}.error.json`, async () =>
    (await readdir(quarantine)).includes(`${name}.error.json`),
  );
  return JSON.parse(await readFile(file, 'utf8')) as QuarantineRecord;
}

t.test('a poison archive is quarantined with its error; a fixed one is imported', async (t) => {
  const s = await setup(t);
  const poison = join(s.inbox, ARCHIVE);
  await goodTgz(join(s.inbox, '.poison'));
  await truncateTo(join(s.inbox, '.poison'), 300);
  await rename(join(s.inbox, '.poison'), poison);
  await s.ingester.start();

  const rec = await record(s.quarantine, ARCHIVE);
  t.equal(rec.code, 'AAF_ERR_BAD_ARCHIVE');
  t.match(rec.message, `corrupt or unreadable archive ${ARCHIVE}:`);
  t.notMatch(rec.message, s.inbox, 'no server folder in the message');
  t.equal(rec.attempts, 1, 'not retried: the error is not retryable');
  t.same(rec.files, [ARCHIVE]);
  t.ok(Date.parse(rec.when) > 0, 'when');
  t.same((await readdir(s.quarantine)).sort(), [ARCHIVE, `${ARCHIVE}.error.json`]);
  t.equal((await stat(join(s.quarantine, ARCHIVE))).size, 300, 'the poison file itself');
  t.same(await readdir(s.inbox), [], 'the inbox is free');
  await until(
    'the failed job removed',
    async () => (await s.ingester.queue.getJobCounts('failed')).failed === 0,
  );

  await dropGoodTgz(s.inbox); // the fixed delivery, same name
  const run = await s.applied();
  t.ok(run.id > 0, 'the fixed delivery is imported: the ingester is alive');
  await until('archived', async () => (await readdir(s.archive)).includes(`${run.id}-${ARCHIVE}`));
  t.same(await readdir(s.inbox), []);
});

t.test('a job failed by a dead worker: quarantined at the next scan, then retaken', async (t) => {
  const s = await setup(t);
  const path = join(s.inbox, ARCHIVE);
  await goodTgz(path);
  const spare = join(s.inbox, '.spare'); // hidden: never scanned
  await copyFile(path, spare);
  const mtime = new Date(Math.floor(Date.now() / 1000) * 1000 - 10_000); // whole ms: utimes keeps it
  await utimes(path, mtime, mtime);
  const original = await stat(path);
  const [entry] = await scanInbox(s.inbox, 0);
  // What a worker that died twice while importing leaves: the delivery's job in the failed set.
  const producer = createProducer(DeliveryQueue, {
    connection: s.redis.connect(),
    prefix: s.redis.prefix,
    log: silent,
  });
  await producer.enqueue(
    { kind: 'delivery', entry: entry! },
    { name: 'delivery', jobId: `delivery-${entry!.id}` },
  );
  const dying = startWorker(
    DeliveryQueue,
    () => Promise.reject(new Error('job stalled more than allowable limit')),
    { connection: s.redis.connect(), prefix: s.redis.prefix, log: silent },
  );
  await until(
    'the job failed',
    async () => (await producer.queue.getJobCounts('failed')).failed === 1,
  );
  t.equal(await closeAll([dying], [producer], { timeoutMs: 10_000 }), true);

  await s.ingester.start();
  const rec = await record(s.quarantine, ARCHIVE);
  t.equal(rec.code, 'INGESTER_ERR_GAVE_UP');
  t.match(
    rec.message,
    `delivery ${ARCHIVE} failed 1 time(s): job stalled more than allowable limit`,
  );
  t.same(await readdir(s.inbox), ['.spare'], 'the inbox is free');
  t.equal((await s.ingester.queue.getJobCounts('failed')).failed, 0, 'the failed job is gone');

  // The same bytes, name and mtime again: the same job id as the failed job, imported anyway.
  await utimes(spare, mtime, mtime);
  const copy = await stat(spare);
  t.same(
    [copy.size, copy.mtimeMs],
    [original.size, original.mtimeMs],
    'same fingerprint (path, size, mtime): the failed job id',
  );
  await rename(spare, path); // keeps the mtime
  const run = await s.applied();
  t.ok(run.id > 0, 'retaken');
});

t.test('a delivery failing at every attempt is quarantined after the last one', async (t) => {
  // the engine's database does not exist: every attempt fails (a retryable failure)
  const { url } = await testDb(t);
  const missing = new URL(url);
  missing.pathname = '/aaf_sync_no_such_database';
  const broken = createDb({ url: missing.toString(), poolMax: 1 });
  t.teardown(() => broken.close());
  const s = await setup(t, broken.db);
  await dropGoodTgz(s.inbox);
  await s.ingester.start();
  const rec = await record(s.quarantine, ARCHIVE);
  t.equal(rec.attempts, 2, 'both attempts were made');
  t.match(rec.code, /^[A-Z]+_ERR_[A-Z_]+$/, `a code (${rec.code})`);
  t.match(rec.message, 'aaf_sync_no_such_database');
  t.same(await readdir(s.inbox), [], 'the inbox is free');
  await until(
    'the failed job removed',
    async () => (await s.ingester.queue.getJobCounts('failed')).failed === 0,
  );
});

t.test(
  'a job whose payload is not a delivery fails at once; the ingester keeps importing',
  async (t) => {
    const lines: string[] = [];
    const log = createLogger(
      { level: 'error' },
      new Writable({
        write: (chunk: Buffer, _e, done) => {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    const s = await setup(t, undefined, log);
    await s.ingester.start();
    await s.ingester.queue.add(
      'delivery',
      { kind: 'delivery', entry: { name: 'x', paths: [] } },
      { jobId: 'forged', attempts: 5 },
    );
    await until('the forged job removed', async () => {
      const job = await s.ingester.queue.getJob('forged');
      return !job && lines.some((l) => l.includes('"jobId":"forged"'));
    });
    const failures = lines
      .map(
        (l) => JSON.parse(l) as { jobId?: string; attempts?: number; err?: { message?: string } },
      )
      .filter((l) => l.jobId === 'forged');
    t.equal(failures.length, 1, 'failed once: not retried');
    t.match(failures[0], { attempts: 1, err: { message: /^JOBS_ERR_INVALID_PAYLOAD: / } });
    t.same(await readdir(s.quarantine), [], 'nothing to quarantine');
    await dropGoodTgz(s.inbox);
    const run = await s.applied();
    t.ok(run.id > 0, 'the next delivery is imported');
  },
);
