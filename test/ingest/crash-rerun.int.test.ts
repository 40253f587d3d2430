// A crash mid-import leaves no partial state and a rerun completes: the CLI is killed (SIGKILL)
// while its apply transaction is writing persons, then the same files are imported again.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { sql, type Database, type Kysely } from '@aaf-sync/db';
import { generateAcademie, type CompleteExpectation } from '@aaf-sync/generator';
import { DEFAULT_INGEST_SETTINGS, ingestPaths, type IngestDeps } from '@aaf-sync/ingest';
import { createLogger } from '@aaf-sync/logger';
import { testDb, until } from '@aaf-sync/testing';

const CLI = resolve(import.meta.dirname, '../../services/cli/dist/main.js');
const silent = createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));

async function count(db: Kysely<Database>, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(
    table,
  )}`.execute(db);
  return rows[0]!.n;
}

/** Backends of this database other than ours that hold a write lock on table `person`. */
async function writingPersons(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.relation = 'person'::regclass and l.mode = 'RowExclusiveLock' and l.granted
      and a.datname = current_database() and a.pid <> pg_backend_pid()`.execute(db);
  return rows[0]!.n;
}

async function otherBackends(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid()`.execute(db);
  return rows[0]!.n;
}

async function logins(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ k: string }>`
    select p.jointure || ' ' || i.namespace || ' ' || i.value as k
    from identifier i join person p on p.id = i.person_id order by 1`.execute(db);
  return rows.map((r) => r.k);
}

t.test('killed while applying: nothing was written, the rerun imports everything', async (t) => {
  const out = t.testdir();
  const { manifest } = await generateAcademie({ out, seed: 5, persons: 4000, deltas: 0 });
  const files = readdirSync(out)
    .filter((n) => n.includes('_Complet_') && n.endsWith('.xml'))
    .map((n) => join(out, n));
  const expected = manifest.deliveries[0]!.expected as CompleteExpectation;
  const { db, url } = await testDb(t);

  const child = spawn(process.execPath, [CLI, 'ingest', ...files], {
    env: { DATABASE_URL: url, IMPORT_BATCH_SIZE: '50', LOG_LEVEL: 'warn', LOG_PRETTY: 'false' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((r) =>
    child.on('exit', (code, signal) => r(signal ?? code)),
  );
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  // Probed every 5 ms: the kill must land inside the apply transaction.
  await until(
    'the apply transaction to write persons',
    async () => {
      if (child.exitCode !== null) throw new Error(`ingest ended before the kill: ${stderr}`);
      return (await writingPersons(db)) > 0;
    },
    120_000,
    5,
  );
  child.kill('SIGKILL');
  t.equal(await exited, 'SIGKILL', 'the CLI was killed');
  // The server rolls the transaction back when it sees the connection gone.
  await until('the killed backends to go', async () => (await otherBackends(db)) === 0, 120_000);

  const [run] = await db.selectFrom('import_run').select(['id', 'status']).execute();
  t.equal(run?.status, 'applying', 'the run was caught applying');
  for (const table of ['person', 'structure', 'change_event', 'identifier', 'class_group'])
    t.equal(await count(db, table), 0, `no ${table} row survived the crash`);

  const deps: IngestDeps = { db, log: silent, settings: DEFAULT_INGEST_SETTINGS };
  const { imports } = await ingestPaths(deps, files, { source: 'test' });
  t.equal(imports[0]!.status, 'applied', 'the rerun applies');
  const first = await db
    .selectFrom('import_run')
    .select(['status', 'error'])
    .where('id', '=', run!.id)
    .executeTakeFirstOrThrow();
  t.equal(first.status, 'failed', 'the interrupted run is marked failed');
  t.match(first.error, { code: 'INGEST_ERR_INTERRUPTED' });
  t.equal(
    await count(db, 'person'),
    expected.persons.pupils + expected.persons.relatives + expected.persons.staff,
    'every person of the complete is there',
  );

  // The rerun leaves exactly what an uninterrupted import leaves: same persons, same logins.
  const clean = await testDb(t);
  await ingestPaths({ ...deps, db: clean.db }, files, { source: 'test' });
  t.same(await logins(db), await logins(clean.db), 'same identifiers as a clean import');
  t.equal(await count(db, 'change_event'), await count(clean.db, 'change_event'));
  t.equal(await count(db, 'membership'), await count(clean.db, 'membership'));
});
