import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fakeClock } from '@aaf-sync/calendar';
import { directoryFeedSuspended } from '@aaf-sync/calendar-store';
import { sql } from '@aaf-sync/db';
import {
  DEFAULT_INGEST_SETTINGS,
  pendingImportJobs,
  runImportJob,
  submitUpload,
  type IngestDeps,
} from '@aaf-sync/ingest';
import { testDb } from '@aaf-sync/testing';
import t from 'tap';
import { coreEffects, runDue, type SchedulerDeps } from '../src/index.js';
import { paris, sampleDelivery, silentLog, storeCalendar } from './helpers.js';

t.test('an API upload of the summer is kept and queued again at the resumption', async (t) => {
  const { db } = await testDb(t);
  const work = mkdtempSync(join(tmpdir(), 'aaf-summer-upload-'));
  t.teardown(() =>
    import('node:fs').then((fs) => fs.rmSync(work, { recursive: true, force: true })),
  );
  const archiveDir = join(work, 'archive');
  const uploadDir = join(work, 'uploads');
  await storeCalendar(db);
  const clock = fakeClock(paris('2025-08-16T10:00'));
  // The engine as the ingester's import worker builds it (createIngestDeps): clock and archive.
  const deps: IngestDeps = {
    db,
    log: silentLog,
    settings: { ...DEFAULT_INGEST_SETTINGS, batchSize: 50 },
    feedSuspended: () => directoryFeedSuspended(db, clock.now()),
    clock,
    archiveDir,
  };
  const renamed = async () =>
    (
      await sql<{
        n: number;
      }>`select count(*)::int as n from person where sn = 'MARCHAND-DURAND'`.execute(db)
    ).rows[0]!.n;

  // 16 August: the initialisation complete is uploaded through the API (POST /v1/imports).
  const files = sampleDelivery(join(work, 'upload'), {
    kind: 'Complet',
    date: '20250816',
    replace: [['MARCHAND', 'MARCHAND-DURAND']],
  });
  const { job, runs } = await submitUpload(db, uploadDir, {
    paths: readdirSync(files)
      .filter((n) => n.endsWith('.xml'))
      .map((n) => join(files, n)),
    dryRun: false,
    actor: 'cli:test',
    scope: { uais: null },
    source: 'api',
    receivedAt: clock.now(),
  });
  const importId = runs[0]!.importId;
  await runImportJob(deps, job, { log: silentLog });
  const run = await db
    .selectFrom('import_run')
    .select(['status', 'created_at', 'finished_at'])
    .where('id', '=', importId)
    .executeTakeFirstOrThrow();
  t.match(run, { status: 'suspended' }, 'planned and reported, not applied');
  t.same([run.created_at, run.finished_at], [clock.now(), clock.now()], 'on the engine clock');
  t.equal(await renamed(), 0, 'nothing applied');
  t.notOk(existsSync(job.spoolDir), 'the spool is removed as after any upload');
  const kept = join(archiveDir, `${importId}-${basename(job.spoolDir)}`);
  t.ok(existsSync(kept), 'the upload is kept in the archive under its import id');
  t.ok(
    readdirSync(kept).some((n) => n.startsWith('ENT_TEST_Complet_20250816_')),
    'with its files',
  );

  // 21 August: the directory resumes; the archived upload is queued again and applied.
  const scheduler: SchedulerDeps = {
    db,
    clock,
    log: silentLog,
    effects: coreEffects({ archiveDir, uploadDir }),
  };
  clock.set(paris('2025-08-21T08:00'));
  const back = await runDue(scheduler);
  t.same(back.failed, []);
  t.ok(back.ran.some((r) => r.id === '2025-2026/feed.resume/directory'));
  const notice = await db
    .selectFrom('notice')
    .selectAll()
    .where('kind', '=', 'feed.resumed')
    .executeTakeFirstOrThrow();
  t.match(notice.data, {
    complete: { importId, fileDate: '2025-08-16' },
    resubmitted: [importId],
    notArchived: [],
  });
  t.notMatch(notice.body, /no longer archived/, 'nothing to submit again by hand');
  const queued = await db
    .selectFrom('import_run')
    .select(['id', 'created_at', 'source'])
    .where('status', '=', 'queued')
    .execute();
  t.match(queued, [{ source: 'calendar' }]);
  t.same(queued[0]!.created_at, clock.now(), 'received at the resumption, on the clock');
  for (const pending of await pendingImportJobs(db))
    await runImportJob(deps, pending, { log: silentLog });
  const applied = await db
    .selectFrom('import_run')
    .select(['status', 'finished_at'])
    .where('id', '=', Number(queued[0]!.id))
    .executeTakeFirstOrThrow();
  t.match(applied, { status: 'applied' });
  t.same(applied.finished_at, clock.now());
  t.ok((await renamed()) > 0, 'the uploaded initialisation complete is applied at resumption');
});
