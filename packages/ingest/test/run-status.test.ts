import t from 'tap';
import { IngestErrors } from '../src/errors.js';
import { runError } from '../src/run/run-error.js';
import { runStatusOf } from '../src/run/run-status.js';

t.test('a run’s status follows from its plans', async (t) => {
  t.equal(runStatusOf({ plans: [] }), 'applied', 'no establishment touched (references only)');
  t.equal(runStatusOf({ plans: ['applied', 'applied'] }), 'applied');
  t.equal(runStatusOf({ plans: ['held', 'held'] }), 'held', 'every plan waits');
  t.equal(runStatusOf({ plans: ['applied', 'held'] }), 'partially_held');
  t.equal(runStatusOf({ plans: ['approved', 'held'] }), 'partially_held', 'an approval applied');
  t.equal(runStatusOf({ plans: ['approved', 'discarded'] }), 'applied', 'decided, one applied');
  t.equal(runStatusOf({ plans: ['discarded', 'discarded'] }), 'discarded');
  t.equal(runStatusOf({ plans: ['discarded', 'superseded'] }), 'discarded');
  t.equal(runStatusOf({ plans: ['held'], dryRun: true }), 'dry_run', 'a dry run never holds');
  t.equal(
    runStatusOf({ plans: ['applied'], dryRun: true, everyFileFailed: true }),
    'failed',
    'nothing could be read: failed, dry run or not',
  );
});

t.test('a run records errors with catalogue codes', async (t) => {
  t.same(runError(IngestErrors.FILES_FAILED({ count: 2 }), { files: ['a'] }), {
    code: 'INGEST_ERR_FILES_FAILED',
    message: '2 file(s) could not be read',
    files: ['a'],
  });
  t.match(runError(new Error('disk full')), {
    code: 'INGEST_ERR_IMPORT_FAILED',
    message: 'the import failed: disk full',
  });
  t.match(runError('boom'), { code: 'INGEST_ERR_IMPORT_FAILED', message: /boom/ });
  const pg = Object.assign(new Error('terminating connection'), { code: '57P01' });
  t.match(runError(pg), { code: '57P01' }, 'a driver error keeps its own code');
});
