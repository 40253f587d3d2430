import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { fakeClock } from '@aaf-sync/calendar';
import { saveCalendar } from '@aaf-sync/calendar-store';
import { createIngestDeps, runImportJob, type ImportJob } from '@aaf-sync/ingest';
import { createLogger } from '@aaf-sync/logger';
import { body, build } from '../../helper.js';
import { multipart } from '../../deliveries.js';

const SAMPLES = resolve(import.meta.dirname, '../../../../../test/fixtures/aaf-samples/2d');
const EXAMPLE = resolve(
  import.meta.dirname,
  '../../../../../packages/calendar/examples/2025-2026.json',
);
const silent = createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));

/** The sample complete re-dated 16 August 2025 (the initialisation complete of the summer). */
const COMPLETE = Object.fromEntries(
  readdirSync(SAMPLES)
    .filter((n) => n.includes('_Complet_') && n.endsWith('.xml'))
    .map((n) => [n.replace('_20240907_', '_20250816_'), readFileSync(join(SAMPLES, n), 'utf8')]),
);

t.test(
  'imports: an upload while the directory is suspended is kept for the resumption',
  async (t) => {
    const clock = fakeClock(new Date('2025-08-16T08:00:00Z'));
    const jobs: ImportJob[] = [];
    const ctx = await build(t, {
      clock,
      imports: {
        enqueue: async (job) => {
          jobs.push(job);
        },
      },
    });
    // The shipped calendar: the directory feed is off from 4 July to 20 August 2025.
    await saveCalendar(ctx.db, {
      document: JSON.parse(readFileSync(EXAMPLE, 'utf8')) as unknown,
      actor: 'test',
    });
    const writer = await ctx.key(['imports:write']);
    const form = multipart(COMPLETE);
    const res = await ctx.inject({
      method: 'POST',
      url: '/v1/imports',
      payload: form.payload,
      headers: { ...form.headers, authorization: `Bearer ${writer}` },
    });
    t.equal(res.statusCode, 202, res.body);
    const { importId } = body<{ importId: number }>(res);
    const queued = await ctx.db
      .selectFrom('import_run')
      .select(['status', 'created_at'])
      .where('id', '=', importId)
      .executeTakeFirstOrThrow();
    t.same(queued, { status: 'queued', created_at: clock.now() }, 'received at the API clock');

    // The ingester's import worker (createIngestDeps on the same clock) runs the job.
    const archiveDir = t.testdir();
    const config = { ...ctx.config, ingest: { ...ctx.config.ingest, archiveDir } };
    const deps = createIngestDeps(config, ctx.db, silent, { clock });
    t.equal(jobs.length, 1);
    const job = jobs[0]!;
    if (job.kind !== 'submission') throw new Error('a submission job was expected');
    await runImportJob(deps, job, { log: silent });
    const report = body<{ import: { status: string; finishedAt: string } }>(
      await ctx.get(await ctx.key(['imports:read']), `/v1/imports/${importId}`),
    );
    t.match(report.import, { status: 'suspended', finishedAt: clock.now().toISOString() });
    t.notOk(existsSync(job.spoolDir), 'the spool is gone');
    const kept = join(archiveDir, `${importId}-${basename(job.spoolDir)}`);
    t.same(
      readdirSync(kept).sort(),
      Object.keys(COMPLETE).sort(),
      'the uploaded files are in the archive under the import id, for the resumption',
    );
  },
);
