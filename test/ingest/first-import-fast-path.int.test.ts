// The first import into an empty directory takes a fast path (COPY of persons and events, no
// version checks, creates planned without their field diff): on the same files it must give
// exactly the directory, identifiers, events, rejects and warnings of the general path, and
// the deltas that follow must find the two directories alike.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { loadConfig } from '@aaf-sync/config';
import { createDb, sql, type Database, type Kysely } from '@aaf-sync/db';
import { generateAcademie } from '@aaf-sync/generator';
import { createIngestDeps, ingestPaths, type IngestDeps } from '@aaf-sync/ingest';
import { createLogger } from '@aaf-sync/logger';
import { testDb } from '@aaf-sync/testing';

const silent = createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));
const config = loadConfig();

/** What an import writes (the run's own bookkeeping, import_run/import_file, aside). */
const TABLES = [
  'structure',
  'subject',
  'mef',
  'person',
  'person_structure',
  'class_group',
  'membership',
  'relative_link',
  'teaching_link',
  'head_teacher',
  'person_function',
  'direction',
  'identifier',
  'identifier_counter',
  'person_alias',
  'change_event',
  'import_reject',
  'import_warning',
  'import_plan',
] as const;

/** Every row of the tables above, timestamps left out (they say when, not what), sorted. */
async function dump(db: Kysely<Database>): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of TABLES) {
    const { rows: cols } = await sql<{ name: string }>`
      select column_name as name from information_schema.columns
      where table_schema = current_schema() and table_name = ${table}
        and data_type like 'timestamp%'`.execute(db);
    const { rows } = await sql<{ row: string }>`
      select (to_jsonb(t) - ${cols.map((c) => c.name)}::text[])::text as row
      from ${sql.table(table)} t order by 1`.execute(db);
    // (a departure's event carries the row's departed_at, the database's now())
    out[table] = rows.map((r) => r.row.replace(/"departedAt": "[^"]*"/g, '"departedAt": "-"'));
  }
  return out;
}

t.test('the fast first import writes what the general path writes', async (t) => {
  const out = t.testdir();
  await generateAcademie({ out, seed: 31, persons: 1500, deltas: 2, quirks: true });
  const xml = readdirSync(out)
    .filter((n) => n.endsWith('.xml'))
    .sort();
  const complete = xml.filter((n) => n.includes('_Complet_')).map((n) => join(out, n));
  const deltas = xml.filter((n) => n.includes('_Delta_')).map((n) => join(out, n));

  const run = async (fastFirstImport: boolean) => {
    const { url } = await testDb(t);
    const statements: string[] = [];
    const handle = createDb({ url, onQuery: (text) => statements.push(text) });
    t.teardown(() => handle.close());
    const base = createIngestDeps(config, handle.db, silent);
    // small batches: identifiers, events and links cross many batches
    // one instant for both runs: departures carry it in their events
    const deps: IngestDeps = {
      ...base,
      clock: { now: () => new Date('2024-09-09T06:00:00Z') },
      settings: { ...base.settings, batchSize: 100, fastFirstImport },
    };
    const first = await ingestPaths(deps, complete, { source: 'test' });
    const copies = statements.filter((s) => s.startsWith('copy ')).length;
    const relativeReads = statements.filter((s) =>
      /from relative_link where pupil_jointure/.test(s),
    );
    const next = await ingestPaths(deps, deltas, { source: 'test' });
    return { db: handle.db, first: first.imports, next: next.imports, copies, relativeReads };
  };

  const fast = await run(true);
  const general = await run(false);
  t.equal(fast.first[0]!.status, 'applied');
  t.ok(fast.copies > 0, `the fast path wrote with COPY (${fast.copies} statements)`);
  t.equal(general.copies, 0, 'the general path did not');
  // (a pupil's relative links are the ones its item wrote: nothing to read back)
  t.equal(fast.relativeReads.length, 0, "the fast path reads no pupil's relative links back");
  t.ok(general.relativeReads.length > 0, 'the general path does');
  t.same(fast.first[0]!.totals, general.first[0]!.totals, 'the same report totals');
  t.same(
    fast.next.map((r) => [r.status, r.totals]),
    general.next.map((r) => [r.status, r.totals]),
    'the deltas after it find the same directory',
  );
  const a = await dump(fast.db);
  const b = await dump(general.db);
  for (const table of TABLES) {
    t.same(a[table], b[table], `${table}: the same ${b[table]!.length} rows`);
  }
  t.ok(a.person!.length > 1500 && a.change_event!.length > 1500, 'persons and events written');
  t.ok(a.import_reject!.length > 0, 'with rejects (quirks)');
});

t.test('a directory that holds a person takes the general path', async (t) => {
  const out = t.testdir();
  await generateAcademie({ out, seed: 32, persons: 300 });
  const complete = readdirSync(out)
    .filter((n) => n.endsWith('.xml') && n.includes('_Complet_'))
    .map((n) => join(out, n));
  const { url } = await testDb(t);
  const statements: string[] = [];
  const handle = createDb({ url, onQuery: (text) => statements.push(text) });
  t.teardown(() => handle.close());
  const deps = createIngestDeps(config, handle.db, silent);
  await sql`insert into person (jointure, category, profile, level, given_name, sn, attributes,
    record_hash) values ('X1', 'staff', 'staff', '2d', 'A', 'B', '{}', 'h')`.execute(handle.db);
  const { imports } = await ingestPaths(deps, complete, { source: 'test' });
  t.equal(imports[0]!.status, 'applied');
  t.equal(statements.filter((s) => s.startsWith('copy ')).length, 0, 'no COPY');
});
