import { mkdirSync, mkdtempSync, utimesSync, cpSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fakeClock } from '@aaf-sync/calendar';
import { directoryFeedSuspended } from '@aaf-sync/calendar-store';
import { sql } from '@aaf-sync/db';
import {
  DEFAULT_INGEST_SETTINGS,
  ingestPaths,
  pendingImportJobs,
  runImportJob,
  type IngestDeps,
} from '@aaf-sync/ingest';
import { createSecretBox, createTarget } from '@aaf-sync/targets';
import { seedStructure, testDb } from '@aaf-sync/testing';
import t from 'tap';
import { coreEffects, listTransitionRows, runDue, type SchedulerDeps } from '../src/index.js';
import { paris, sampleDelivery, silentLog, storeCalendar } from './helpers.js';

const box = createSecretBox(Buffer.alloc(32, 5).toString('base64'));

t.test(
  'a summer in seconds: suspension, files kept, resumption per target, alerts, retention',
  async (t) => {
    const { db } = await testDb(t);
    const work = mkdtempSync(join(tmpdir(), 'aaf-summer-'));
    t.teardown(() =>
      import('node:fs').then((fs) => fs.rmSync(work, { recursive: true, force: true })),
    );
    const archiveDir = join(work, 'archive');
    const uploadDir = join(work, 'uploads');
    mkdirSync(archiveDir, { recursive: true });
    const clock = fakeClock(paris('2025-06-29T10:00'));
    // noop targets resume on 2025-08-29 (default), one named target on 2025-09-01.
    await storeCalendar(db, (doc) => {
      doc.feed.targets.byTarget = { 'noop-late': { kind: 'noop', resumeOn: '2025-09-01' } };
    });
    await seedStructure(db, { jointure: 'S-X', uai: '0860099X', name: 'Collège X' });
    await createTarget(
      db,
      box,
      { name: 'noop-early', kind: 'noop', uais: ['0990001N'], options: {} },
      'test',
    );
    await createTarget(
      db,
      box,
      { name: 'noop-late', kind: 'noop', uais: ['0990001N'], options: {} },
      'test',
    );
    await createTarget(
      db,
      box,
      { name: 'noop-hand', kind: 'noop', uais: ['0860099X'], options: {} },
      'test',
    );

    const deps: IngestDeps = {
      db,
      log: silentLog,
      settings: { ...DEFAULT_INGEST_SETTINGS, batchSize: 50 },
      feedSuspended: () => directoryFeedSuspended(db, clock.now()),
    };
    /** What the ingester does with an inbox delivery: import, then archive under the run ids. */
    const receive = async (folder: string) => {
      const { imports } = await ingestPaths(deps, [folder], { source: 'inbox', actor: 'ingester' });
      const label = `${imports.map((r) => r.importId).join('+')}-${basename(folder)}`;
      mkdirSync(join(archiveDir, label));
      cpSync(folder, join(archiveDir, label, basename(folder)), { recursive: true });
      return imports[0]!;
    };
    const scheduler: SchedulerDeps = {
      db,
      clock,
      log: silentLog,
      effects: coreEffects({ archiveDir, uploadDir }),
    };
    const notices = async (kind: string) =>
      db.selectFrom('notice').selectAll().where('kind', '=', kind).orderBy('id').execute();
    const targetState = async (name: string) =>
      (
        await db
          .selectFrom('target')
          .select('state')
          .where('name', '=', name)
          .executeTakeFirstOrThrow()
      ).state;
    const marchandDurand = async () =>
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from person where sn = 'MARCHAND-DURAND'`.execute(db)
      ).rows[0]!.n;

    // June: the last complete of the year and a delta arrive and are applied.
    const june = await receive(
      sampleDelivery(join(work, 'in/ENT_TEST_Complet_20250628'), {
        kind: 'Complet',
        date: '20250628',
      }),
    );
    t.equal(june.status, 'applied', 'before the summer, files are applied');
    clock.set(paris('2025-07-01T21:00'));
    const july1 = await receive(
      sampleDelivery(join(work, 'in/ENT_TEST_Delta_20250701'), { kind: 'Delta', date: '20250701' }),
    );
    t.not(july1.status, 'suspended');

    // 3 July 08:00: the delta of 1 July arrived, the delta of 2 July did not (deadline 3 July 07:00).
    clock.set(paris('2025-07-03T08:00'));
    const first = await runDue(scheduler);
    t.same(first.failed, []);
    t.ok(first.ran.some((r) => r.id === '2025-2026/delivery.due/delta/2025-07-01'));
    const missing = await notices('delivery.missing');
    t.same(
      missing.map((n) => `${String(n.data.kind)}/${String(n.data.date)}`),
      ['delta/2025-06-26', 'delta/2025-06-30', 'delta/2025-07-02'],
      'alerts for the missing files of the last 7 days (the complete of 28 June and the delta of ' +
        '1 July arrived; older deadlines are recorded without alert)',
    );
    t.match(missing[2]!.data, { deadline: paris('2025-07-03T07:00').toISOString() });
    const noticeEvent = await db
      .selectFrom('change_event')
      .selectAll()
      .where('entity_type', '=', 'notice')
      .where('entity_key', '=', String(missing[0]!.id))
      .executeTakeFirstOrThrow();
    t.match(noticeEvent, {
      op: 'created',
      actor: 'calendar',
      changes: { kind: 'delivery.missing' },
    });
    t.equal(await targetState('noop-early'), 'active');

    // 4 July: everything is suspended. An operator had suspended noop-hand by hand before.
    await db
      .updateTable('target')
      .set({ state: 'suspended' })
      .where('name', '=', 'noop-hand')
      .execute();
    clock.set(paris('2025-07-04T03:00'));
    const suspend = await runDue(scheduler);
    t.ok(suspend.ran.some((r) => r.id === '2025-2026/feed.suspend/directory'));
    t.ok(suspend.ran.some((r) => r.id === '2025-2026/feed.suspend/kind:noop'));
    t.ok(suspend.ran.some((r) => r.id === '2025-2026/feed.suspend/target:noop-late'));
    t.equal(await targetState('noop-early'), 'suspended');
    t.equal(await targetState('noop-late'), 'suspended');
    t.equal((await notices('feed.suspended')).length, 1);

    // 16 August: the initialisation complete arrives while the directory is suspended.
    clock.set(paris('2025-08-16T10:00'));
    const init = await receive(
      sampleDelivery(join(work, 'in/ENT_TEST_Complet_20250816'), {
        kind: 'Complet',
        date: '20250816',
        replace: [['MARCHAND', 'MARCHAND-DURAND']],
      }),
    );
    t.equal(init.status, 'suspended', 'planned and reported with a clear status, not applied');
    t.ok(init.establishments.length > 0, 'the report lists what the plan would change');
    t.equal(await marchandDurand(), 0, 'nothing applied');
    const afterInit = await db
      .selectFrom('import_run')
      .select('status')
      .where('id', '=', init.importId)
      .executeTakeFirstOrThrow();
    t.equal(afterInit.status, 'suspended');

    // The scheduler was down from 4 July to 21 August: what it missed runs now, once.
    clock.set(paris('2025-08-21T08:00'));
    const back = await runDue(scheduler);
    t.same(back.failed, []);
    const ids = back.ran.map((r) => r.id);
    for (const id of [
      '2025-2026/feed.initialisation-expected/directory',
      '2025-2026/feed.initialisation-overdue/directory',
      '2025-2026/feed.resume/directory',
      '2025-2026/feed.resume/kind:ent',
      '2025-2026/retention.credential-exports/credential-exports',
    ]) {
      t.ok(ids.includes(id), `${id} ran on restart`);
    }
    t.ok(
      ids.indexOf('2025-2026/feed.initialisation-expected/directory') <
        ids.indexOf('2025-2026/feed.resume/directory'),
      'in calendar order',
    );
    t.ok(
      back.unhandled.includes('2025-2026/blocking.start/rentree'),
      'types of other packages stay pending until registered',
    );
    t.equal(
      (await notices('feed.initialisation-overdue')).length,
      0,
      'the complete arrived: no overdue alert',
    );
    t.equal((await notices('feed.initialisation-expected')).length, 1);
    t.equal(await targetState('noop-early'), 'suspended', 'targets resume on their own dates');

    // The directory queued the initialisation complete again; the ingester applies it.
    const queued = await db
      .selectFrom('import_run')
      .selectAll()
      .where('status', '=', 'queued')
      .execute();
    t.match(queued, [
      { kind: 'complete', file_date: '2025-08-16', source: 'calendar', submitted_by: 'calendar' },
    ]);
    for (const job of await pendingImportJobs(db))
      await runImportJob(deps, job, { log: silentLog });
    const applied = await db
      .selectFrom('import_run')
      .select('status')
      .where('id', '=', Number(queued[0]!.id))
      .executeTakeFirstOrThrow();
    t.equal(applied.status, 'applied');
    t.ok(
      (await marchandDurand()) > 0,
      'the pending initialisation complete is applied at resumption',
    );

    // 29 August: noop targets resume with a full reconcile, except the named one and the one an
    // operator suspended by hand; the import archives older than six months are deleted.
    const old = join(archiveDir, '1-ENT_TEST_Complet_20250101');
    mkdirSync(old);
    utimesSync(old, paris('2025-01-01T00:00'), paris('2025-01-01T00:00'));
    clock.set(paris('2025-08-29T08:00'));
    const resume = await runDue(scheduler);
    t.same(resume.failed, []);
    t.equal(await targetState('noop-early'), 'active');
    t.equal(await targetState('noop-late'), 'suspended');
    t.equal(
      await targetState('noop-hand'),
      'suspended',
      'a target suspended by hand stays suspended',
    );
    const pending = await sql<{ n: number }>`
    select count(*)::int as n from provisioning p join target t on t.id = p.target_id
    where t.name = 'noop-early' and p.status = 'pending'`.execute(db);
    t.ok(pending.rows[0]!.n > 0, 'the resumed target is reconciled in full');
    t.notOk(existsSync(old), 'the old archive is deleted');
    t.ok(
      existsSync(join(archiveDir, `${init.importId}-ENT_TEST_Complet_20250816`)),
      'recent archives are kept',
    );

    clock.set(paris('2025-09-01T08:00'));
    await runDue(scheduler);
    t.equal(await targetState('noop-late'), 'active', 'the named target resumes on its own date');

    // Running again changes nothing.
    const counts = async () => ({
      notices: Number(
        (
          await db
            .selectFrom('notice')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      events: Number(
        (
          await db
            .selectFrom('change_event')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      runs: Number(
        (
          await db
            .selectFrom('import_run')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    });
    const before = await counts();
    const again = await runDue(scheduler);
    t.same(again.ran, [], 'nothing runs twice');
    t.same(await counts(), before);
    const rows = await listTransitionRows(db, 1000);
    t.ok(
      rows.every((r) => r.attempts === 1 && r.done_at !== null),
      'each transition ran exactly once',
    );
  },
);
