// What the inbox scan takes as a delivery is what packages/aaf's delivery listing reads: loose
// AAF XML files, folders (one level deep), and .tgz/.tar.gz/.tar/.zip archives. Real PostgreSQL
// and Redis (own prefix); temp inbox and archive.
import { createReadStream, createWriteStream } from 'node:fs';
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import t from 'tap';
import { loadConfig } from '@aaf-sync/config';
import { createIngestDeps } from '@aaf-sync/ingest';
import { createLogger } from '@aaf-sync/logger';
import { testDb, testRedis, until } from '@aaf-sync/testing';
import { createIngester, scanInbox } from '../src/index.js';
import { writeTgz } from '../../../packages/aaf/test/hostile.js';

const SAMPLES = resolve(import.meta.dirname, '../../../test/fixtures/aaf-samples/2d');
const STRUCTURES = 'ENT_TEST_Complet_20240907_EtabEducNat_0000.xml';
const silent = createLogger({ level: 'silent' }, new Writable({ write: (_c, _e, done) => done() }));

/** A plain (uncompressed) .tar holding the sample structures file. */
async function writeTar(path: string): Promise<void> {
  const tgz = `${path}.tmp.tgz`;
  const { size } = await stat(join(SAMPLES, STRUCTURES));
  await writeTgz(tgz, STRUCTURES, size, createReadStream(join(SAMPLES, STRUCTURES)));
  await pipeline(createReadStream(tgz), createGunzip(), createWriteStream(path));
  await rm(tgz);
}

t.test('every delivery form packages/aaf reads is listed; anything else is not', async (t) => {
  const dir = t.testdir({ 'notes.txt': 'not a delivery', 'empty-folder': {} });
  await writeTar(join(dir, 'ENT2D.20240901.Complet.tar'));
  writeFileSync(join(dir, 'ENT2D.20240902.Delta.tgz'), '');
  writeFileSync(join(dir, 'ENT2D.20240903.Complet.tar.gz'), '');
  writeFileSync(join(dir, 'ENT2D.20240904.Complet.zip'), '');
  mkdirSync(join(dir, 'export-0905', '2d'), { recursive: true });
  cpSync(join(SAMPLES, STRUCTURES), join(dir, 'export-0905', '2d', STRUCTURES));
  const listed = await scanInbox(dir, 0, Date.now() + 1);
  t.same(
    listed.map((e) => [e.name, e.date, e.kind]),
    [
      ['ENT2D.20240901.Complet.tar', '2024-09-01', 'complete'],
      ['ENT2D.20240902.Delta.tgz', '2024-09-02', 'delta'],
      ['ENT2D.20240903.Complet.tar.gz', '2024-09-03', 'complete'],
      ['ENT2D.20240904.Complet.zip', '2024-09-04', 'complete'],
      ['export-0905', '2024-09-07', 'complete'],
    ],
    'a folder whose AAF files sit in a 1d/2d subfolder is a delivery too',
  );
});

t.test('a .tar dropped in the inbox is imported and archived', async (t) => {
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
    log: silent,
    deps: createIngestDeps(config, db, silent),
    connection: redis.connect(),
    prefix: redis.prefix,
    settleMs: 0,
  });
  t.teardown(() => ingester.close());
  await writeTar(join(dir, 'inbox', 'ENT2D.20240907.Complet.tar'));
  await ingester.start();
  const run = await until('the import to end', () =>
    db
      .selectFrom('import_run')
      .select(['id', 'status', 'kind'])
      .where('status', 'not in', ['queued', 'planning', 'applying'])
      .executeTakeFirst(),
  );
  t.match(run, { status: 'applied', kind: 'complete' });
  const structures = await db
    .selectFrom('structure')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  t.ok(Number(structures.n) > 0, 'its establishments are in the directory');
  await until('the inbox to be free', () => readdirSync(join(dir, 'inbox')).length === 0);
  t.same(readdirSync(join(dir, 'inbox')), [], 'the inbox is free');
  t.match(readdirSync(join(dir, 'archive')), [new RegExp(`^${run.id}-`)], 'archived');
});
