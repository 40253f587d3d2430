import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { fakeClock } from '@aaf-sync/calendar';
import { saveCalendar } from '@aaf-sync/calendar-store';
import { loadConfig } from '@aaf-sync/config';
import { createIngestDeps } from '@aaf-sync/ingest';
import { createLogger } from '@aaf-sync/logger';
import { testDb, testRedis, until } from '@aaf-sync/testing';
import { createIngester } from '../src/index.js';

const SAMPLES = resolve(import.meta.dirname, '../../../test/fixtures/aaf-samples/2d');
const EXAMPLE = resolve(import.meta.dirname, '../../../packages/calendar/examples/2025-2026.json');
const silent = createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));

/** Paris local time (summer time, UTC+2) → instant. */
const paris = (local: string): Date => new Date(`${local}+02:00`);

t.test('the calendar gate and the run times follow the injected clock', async (t) => {
  const { db, url } = await testDb(t);
  const redis = await testRedis(t);
  const dir = t.testdir({ inbox: {}, archive: {} });
  const inbox = join(dir, 'inbox');
  const config = loadConfig({
    DATABASE_URL: url,
    REDIS_URL: redis.url,
    AAF_INBOX_DIR: inbox,
    AAF_ARCHIVE_DIR: join(dir, 'archive'),
    AAF_INBOX_POLL_SECONDS: '3600',
  });
  // The shipped calendar: the directory is off from 4 July to 20 August 2025.
  await saveCalendar(db, {
    document: JSON.parse(readFileSync(EXAMPLE, 'utf8')) as unknown,
    actor: 'test',
  });
  const clock = fakeClock(paris('2025-07-15T10:00'));
  const ingester = createIngester({
    config,
    db,
    log: silent,
    deps: createIngestDeps(config, db, silent, { clock }),
    connection: redis.connect(),
    prefix: redis.prefix,
    settleMs: 0,
    shutdownTimeoutMs: 15_000,
  });
  t.teardown(() => ingester.close());
  await ingester.start();

  const receive = async (pick: string) => {
    for (const name of readdirSync(SAMPLES)) {
      if (name.includes(pick)) cpSync(join(SAMPLES, name), join(inbox, name));
    }
    // The scan takes a delivery once its files stopped changing.
    await until(`the ${pick} queued`, async () => (await ingester.scan()).length > 0);
    return until(`the ${pick} imported`, async () => {
      const run = await db
        .selectFrom('import_run')
        .select(['id', 'status', 'created_at', 'finished_at'])
        .where('delivery_name', 'like', `%${pick}%`)
        .executeTakeFirst();
      return run?.finished_at && run;
    });
  };

  // Mid-July for the clock (whatever the wall clock says): the feed is off.
  const summer = await receive('Delta');
  t.equal(summer.status, 'suspended', 'a delivery of the summer is planned, not applied');
  t.same(
    [summer.created_at, summer.finished_at],
    [clock.now(), clock.now()],
    'the run started and finished at the clock’s instant',
  );

  // 21 August: the directory feed is open again.
  clock.set(paris('2025-08-21T09:00'));
  const autumn = await receive('Complet');
  t.equal(autumn.status, 'applied', 'after the resumption date, deliveries are applied');
  t.same(autumn.finished_at, clock.now());
});
