// Two académies of a regional deployment reuse jointures (they are unique within an académie
// only): a complete of one never touches the persons or structures of the other, the conflicts
// are reported, and the API names the académie of a person.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { buildApp } from '@aaf-sync/api';
import { createApiKey } from '@aaf-sync/api-keys';
import { loadConfig } from '@aaf-sync/config';
import { sql, type Database, type Kysely } from '@aaf-sync/db';
import { generateAcademie } from '@aaf-sync/generator';
import { DEFAULT_INGEST_SETTINGS, ingestPaths, type IngestDeps } from '@aaf-sync/ingest';
import { createLogger } from '@aaf-sync/logger';
import { testDb } from '@aaf-sync/testing';

const silent = createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));

const completeFiles = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.xml') && n.includes('_Complet_'))
    .map((n) => join(dir, n));

/** The ids of a delivery's files, read independently of the engine. */
function idsOf(dir: string, entities: readonly string[]): Set<string> {
  const ids = new Set<string>();
  for (const file of completeFiles(dir)) {
    if (!entities.some((e) => file.includes(`_${e}_`))) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/<id>([^<]+)<\/id>/g)) ids.add(m[1]!);
  }
  return ids;
}

async function persons(db: Kysely<Database>, scope: string) {
  const rows = await db
    .selectFrom('person')
    .select(['jointure', 'version', 'state'])
    .where('scope', '=', scope)
    .orderBy('jointure')
    .execute();
  return new Map(rows.map((r) => [r.jointure, `${r.state}:${r.version}`]));
}

t.test("two académies reusing ids: neither complete touches the other's persons", async (t) => {
  const nordDir = join(t.testdirName, 'nord');
  const sudDir = join(t.testdirName, 'sud');
  await generateAcademie({ out: nordDir, seed: 1, persons: 600, scope: 'NORD' });
  await generateAcademie({ out: sudDir, seed: 2, persons: 900, scope: 'SUD', uaiOffset: 1000 });
  const { db, url } = await testDb(t);
  const deps: IngestDeps = { db, log: silent, settings: DEFAULT_INGEST_SETTINGS };
  const ingest = async (dir: string) =>
    (await ingestPaths(deps, completeFiles(dir), { source: 'test' })).imports[0]!;

  const nord = await ingest(nordDir);
  t.equal(nord.status, 'applied');
  t.equal(nord.scope, 'NORD');
  const nordBefore = await persons(db, 'NORD');
  t.ok(nordBefore.size > 500);
  const nordStructures = new Set(
    (await db.selectFrom('structure').select('jointure').execute()).map((s) => s.jointure),
  );

  const sud = await ingest(sudDir);
  t.equal(sud.status, 'applied');
  t.same(await persons(db, 'NORD'), nordBefore, "SUD's complete changed no person of NORD");
  t.same(
    await db
      .selectFrom('structure')
      .select('jointure')
      .where('scope', '<>', 'NORD')
      .where('jointure', 'in', [...nordStructures])
      .execute(),
    [],
    'nor any structure of NORD',
  );
  // Every id of SUD's files that NORD holds is a conflict, reported; the rest is applied.
  const sudPersonIds = idsOf(sudDir, ['Eleve', 'PersRelEleve', 'PersEducNat']);
  const sudStructureIds = idsOf(sudDir, ['EtabEducNat']);
  const personConflicts = [...sudPersonIds].filter((j) => nordBefore.has(j));
  const structureConflicts = [...sudStructureIds].filter((j) => nordStructures.has(j));
  t.ok(personConflicts.length > 0 && structureConflicts.length > 0, 'the académies share ids');
  t.equal(
    sud.rejectsByCode.JOINTURE_SCOPE_CONFLICT,
    personConflicts.length + structureConflicts.length,
    'each conflict counted once',
  );
  const rejected = (entities: readonly string[]) =>
    sud.files
      .filter((f) => entities.includes(f.entity))
      .reduce((n, f) => n + f.outcomes.rejected, 0);
  t.equal(rejected(['Eleve', 'PersRelEleve', 'PersEducNat']), personConflicts.length);
  t.equal(rejected(['EtabEducNat']), structureConflicts.length);
  const sudPersons = await persons(db, 'SUD');
  t.equal(sudPersons.size, sudPersonIds.size - personConflicts.length, 'the rest of SUD applied');
  t.ok(
    [...sudStructureIds].some((j) => !nordStructures.has(j)),
    'SUD has establishments of its own',
  );

  // NORD's next complete departs none of SUD's persons.
  const later = join(t.testdirName, 'nord-later');
  await generateAcademie({ out: later, seed: 1, persons: 600, scope: 'NORD', date: '2024-09-14' });
  t.equal((await ingest(later)).status, 'applied');
  t.same(await persons(db, 'SUD'), sudPersons, "NORD's complete changed no person of SUD");
  t.same(await persons(db, 'NORD'), nordBefore);

  // The API: each person says its académie; ?scope= names one.
  const config = loadConfig({ ...process.env, DATABASE_URL: url });
  const app = await buildApp({ config, db, log: silent });
  t.teardown(() => app.close());
  const { token } = await createApiKey(db, { name: 't', scopes: ['admin'], actor: 'test' });
  const get = (path: string) =>
    app.inject({ url: path, headers: { authorization: `Bearer ${token}` } });
  const shared = personConflicts[0]!;
  const own = [...sudPersons.keys()][0]!;
  t.match((await get(`/v1/accounts/jointure:${shared}`)).json(), { scope: 'NORD' });
  t.equal((await get(`/v1/accounts/jointure:${shared}?scope=NORD`)).statusCode, 200);
  t.equal(
    (await get(`/v1/accounts/jointure:${shared}?scope=SUD`)).statusCode,
    404,
    "SUD's record of that id was not merged: no SUD person holds it",
  );
  t.match((await get(`/v1/accounts/jointure:${own}?scope=SUD`)).json(), {
    jointure: own,
    scope: 'SUD',
  });
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from import_reject
    where import_id = ${sud.importId} and code = 'JOINTURE_SCOPE_CONFLICT'
      and message like '%of scope SUD is held by a%of scope NORD%'`.execute(db);
  t.equal(rows[0]!.n, personConflicts.length + structureConflicts.length, 'messages name both');
});
