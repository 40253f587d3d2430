// A first import allocates, through one IdentifierAllocator for the whole apply, exactly the
// logins that one allocation call per batch gave before (the allocator keeps the homonym
// counters in memory instead of updating them batch after batch), and plans without looking
// up persons in the empty directory.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { loadConfig } from '@aaf-sync/config';
import { createDb, sql, type Database, type Kysely } from '@aaf-sync/db';
import { generateAcademie } from '@aaf-sync/generator';
import { allocateIdentifiers, namespaceRules } from '@aaf-sync/identifiers';
import { createIngestDeps, ingestPaths, type IngestDeps } from '@aaf-sync/ingest';
import { createLogger } from '@aaf-sync/logger';
import { testDb } from '@aaf-sync/testing';

const silent = createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));
const config = loadConfig();
const rules = namespaceRules(config.identifiers);
/** Small batches: the homonym families recur from one batch to the next. */
const BATCH = 200;

async function logins(db: Kysely<Database>) {
  const { rows } = await sql<{ jointure: string; namespace: string; value: string }>`
    select p.jointure, i.namespace, i.value from identifier i join person p on p.id = i.person_id
    order by p.jointure, i.namespace`.execute(db);
  return rows.map((r) => `${r.jointure} ${r.namespace} ${r.value}`);
}

async function counters(db: Kysely<Database>) {
  const { rows } = await sql<{ namespace: string; base: string; allocated: number }>`
    select namespace, base, allocated from identifier_counter order by namespace, base`.execute(db);
  return rows;
}

t.test('a generated académie gets the logins one allocation per batch gave', async (t) => {
  const out = t.testdir();
  await generateAcademie({ out, seed: 23, persons: 3000 });
  const files = readdirSync(out)
    .filter((n) => n.endsWith('.xml') && n.includes('_Complet_'))
    .map((n) => join(out, n));

  // Before: one allocateIdentifiers call per batch, counters written by every call.
  const before = await testDb(t);
  const perBatch: IngestDeps = {
    ...createIngestDeps(config, before.db, silent),
    identifiers: (trx) => ({
      allocate: (persons) => allocateIdentifiers(trx, persons, rules, { events: false }),
      finish: async () => {},
    }),
  };
  const first = await ingestPaths(
    { ...perBatch, settings: { ...perBatch.settings, batchSize: BATCH } },
    files,
    { source: 'test' },
  );
  t.equal(first.imports[0]!.status, 'applied');

  // Now: the engine's own dependencies (one allocator per apply), every statement recorded.
  const after = await testDb(t);
  const statements: string[] = [];
  const handle = createDb({ url: after.url, onQuery: (text) => statements.push(text) });
  t.teardown(() => handle.close());
  const deps = createIngestDeps(config, handle.db, silent);
  const second = await ingestPaths(
    { ...deps, settings: { ...deps.settings, batchSize: BATCH } },
    files,
    {
      source: 'test',
    },
  );
  t.equal(second.imports[0]!.status, 'applied');

  const values = await logins(after.db);
  t.ok(values.length > 3000, `${values.length} logins`);
  t.same(values, await logins(before.db), 'the same login for every person and namespace');
  const now = await counters(after.db);
  t.same(now, await counters(before.db), 'the same homonym counters');
  t.ok(
    now.some((c) => c.allocated >= 3),
    'families with several holders (numbered across batches)',
  );
  t.same(second.imports[0]!.totals, first.imports[0]!.totals, 'the same report totals');

  const lookups = statements.filter((s) =>
    /from "person" where "jointure" = any|from person p\s+where p.category = 'pupil' and p.ine/.test(
      s,
    ),
  );
  t.same(lookups, [], 'no look-up of existing persons in an empty directory');
});
