import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import t from 'tap';
import { loadConfig } from '@aaf-sync/config';

const run = promisify(execFile);
const worker = fileURLToPath(new URL('./fixtures/isolation-worker.ts', import.meta.url));

t.test('two test processes writing the same table in parallel do not see each other', async (t) => {
  const dir = t.testdir({});
  const start = (me: string, other: string) =>
    run(process.execPath, ['--import=tsx', worker, dir, me, other], { timeout: 120_000 });
  const [a, b] = await Promise.all([start('a', 'b'), start('b', 'a')]);
  const ra = JSON.parse(a.stdout) as { database: string; rows: { name: string }[] };
  const rb = JSON.parse(b.stdout) as { database: string; rows: { name: string }[] };
  t.not(ra.database, rb.database, 'each process got its own database');
  t.same(ra.rows, [{ jointure: 'SAME-KEY', name: 'written by a' }]);
  t.same(rb.rows, [{ jointure: 'SAME-KEY', name: 'written by b' }]);

  // Both databases are gone after their teardown.
  const admin = new pg.Client({ connectionString: loadConfig().database.url });
  await admin.connect();
  const left = await admin.query('select datname from pg_database where datname = any($1)', [
    [ra.database, rb.database],
  ]);
  await admin.end();
  t.equal(left.rowCount, 0, 'test databases are dropped at teardown');
});
