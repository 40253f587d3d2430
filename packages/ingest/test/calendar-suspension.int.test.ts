import { join } from 'node:path';
import t from 'tap';
import { ingestPaths } from '../src/index.js';
import { count, harness, variant } from './helpers.js';

t.test(
  'while the calendar suspends the directory feed: planned and reported, nothing applied',
  async (t) => {
    const h = await harness(t);
    let suspended = true;
    const deps = { ...h.deps, feedSuspended: async () => suspended };
    const dir = variant(join(t.testdirName, 'c'), { from: '2d', pick: 'Complet' });

    const { imports } = await ingestPaths(deps, [dir], { source: 'test' });
    const report = imports[0]!;
    t.equal(report.status, 'suspended', 'a clear status');
    t.ok(report.establishments.length > 0, 'the report says what the plan would change');
    t.ok(
      report.establishments.every((e) => e.status === 'dry_run'),
      'its plans are reported like a dry run (nothing to approve)',
    );
    t.equal(await count(h.db, 'person'), 0, 'nothing applied');
    t.equal(await count(h.db, 'change_event'), 0, 'no event');
    t.equal(await count(h.db, 'import_plan_item'), 0, 'no plan kept');
    const run = await h.db
      .selectFrom('import_run')
      .select(['status', 'dry_run', 'finished_at'])
      .where('id', '=', report.importId)
      .executeTakeFirstOrThrow();
    t.match(run, { status: 'suspended', dry_run: false }, 'a received file (delivery cadence)');
    t.ok(run.finished_at);

    const dry = await ingestPaths(deps, [dir], { source: 'test', dryRun: true });
    t.equal(dry.imports[0]!.status, 'dry_run', 'a dry run is never suspended');

    const forced = await ingestPaths(deps, [dir], { source: 'test', suspended: false });
    t.equal(
      forced.imports[0]!.status,
      'applied',
      'the operator may apply anyway (--ignore-calendar)',
    );
    t.ok((await count(h.db, 'person')) > 0);

    suspended = false;
    const again = await ingestPaths(deps, [dir], { source: 'test' });
    t.not(again.imports[0]!.status, 'suspended', 'once resumed, files are applied again');
  },
);
