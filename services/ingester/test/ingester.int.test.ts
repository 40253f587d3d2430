import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, readdirSync, utimesSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Writable } from 'node:stream';
import t, { type Test } from 'tap';
import { loadConfig } from '@aaf-sync/config';
import { createIngestDeps } from '@aaf-sync/ingest';
import { createLogger } from '@aaf-sync/logger';
import { testDb, testRedis } from '@aaf-sync/testing';
import { Redis } from 'ioredis';
import { createIngester, purgeArchive, scanInbox } from '../src/index.js';

const SAMPLES = resolve(import.meta.dirname, '../../../test/fixtures/aaf-samples/2d');
const silent = createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));

function dropDelivery(inbox: string, pick: string): void {
  for (const name of readdirSync(SAMPLES)) {
    if (name.includes(pick)) cpSync(join(SAMPLES, name), join(inbox, name));
  }
}

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function setup(t: Test, connection?: Redis) {
  const { db, url } = await testDb(t);
  const redis = await testRedis(t);
  const dir = t.testdir({ inbox: {}, archive: {} });
  const config = loadConfig({
    DATABASE_URL: url,
    REDIS_URL: redis.url,
    AAF_INBOX_DIR: join(dir, 'inbox'),
    AAF_ARCHIVE_DIR: join(dir, 'archive'),
    AAF_INBOX_POLL_SECONDS: '1',
  });
  const ingester = createIngester({
    config,
    db,
    log: silent,
    deps: createIngestDeps(config, db, silent),
    connection: connection ?? redis.connect(),
    prefix: redis.prefix,
    settleMs: 0,
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
  const archived = await until(
    'archive',
    async () => readdirSync(s.archive).length === 2 && readdirSync(s.archive).sort(),
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

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}

function startRedis(port: number, dir: string): ChildProcess {
  mkdirSync(dir, { recursive: true });
  return spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
}

t.test('a Redis restart loses no delivery', async (t) => {
  const port = await freePort();
  const dir = t.testdir();
  let redisProcess = startRedis(port, dir);
  t.teardown(() => {
    redisProcess.kill('SIGKILL');
  });
  const connection = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: null });
  connection.on('error', () => {});
  await until('redis', async () => (await connection.ping().catch(() => '')) === 'PONG');
  t.teardown(() => connection.disconnect());
  const s = await setup(t, connection);
  await s.ingester.start();
  redisProcess.kill('SIGKILL');
  await sleep(300);
  dropDelivery(s.inbox, 'Complet');
  await sleep(1500);
  redisProcess = startRedis(port, dir);
  const run = await until('the import after the restart', async () =>
    s.db
      .selectFrom('import_run')
      .select('status')
      .where('status', '=', 'applied')
      .executeTakeFirst(),
  );
  t.equal(run.status, 'applied');
});
