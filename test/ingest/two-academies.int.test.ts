// Two académies of a regional deployment reuse jointures (they are unique within an académie
// only): the same id in two scopes is two persons (and two establishments), a complete of one
// never touches the persons or structures of the other, and the API names persons by
// (scope, jointure).
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
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

t.test(
  'two académies reusing ids: two persons each, neither complete touches the other',
  async (t) => {
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
    // Every id of SUD's files is a person or structure of SUD, those NORD holds too included.
    const sudPersonIds = idsOf(sudDir, ['Eleve', 'PersRelEleve', 'PersEducNat']);
    const sudStructureIds = idsOf(sudDir, ['EtabEducNat']);
    const shared = [...sudPersonIds].filter((j) => nordBefore.has(j));
    const sharedStructures = [...sudStructureIds].filter((j) => nordStructures.has(j));
    t.ok(shared.length > 0 && sharedStructures.length > 0, 'the académies share ids');
    t.same(sud.rejectsByCode, {}, 'nothing rejected: the same id in two scopes is two persons');
    const sudPersons = await persons(db, 'SUD');
    const aafIds = async (table: 'person' | 'structure', scope: string) =>
      new Set(
        (await db.selectFrom(table).select('aaf_id').where('scope', '=', scope).execute()).map(
          (r) => r.aaf_id,
        ),
      );
    t.same(await aafIds('person', 'SUD'), sudPersonIds, 'one SUD person per id of its files');
    t.same(await aafIds('structure', 'SUD'), sudStructureIds);
    t.ok(
      [...sudPersons.keys()].every((k) =>
        nordBefore.has(k.split('@')[0]!) ? k.endsWith('@SUD') : !k.includes('@'),
      ),
      "SUD's keys: its ids, qualified where NORD held them first",
    );
    // A shared id: two persons, each with its own identifiers, establishments and events.
    const twins = await db
      .selectFrom('person')
      .select(['id', 'jointure', 'scope', 'category'])
      .where('aaf_id', '=', shared[0]!)
      .orderBy('scope')
      .execute();
    t.match(twins, [
      { jointure: shared[0], scope: 'NORD' },
      { jointure: `${shared[0]}@SUD`, scope: 'SUD' },
    ]);
    const { rows: foreignLinks } = await sql<{ n: number }>`
    select count(*)::int as n from person_structure ps
    join person p on p.jointure = ps.person_jointure
    join structure s on s.jointure = ps.structure_jointure
    where p.scope <> s.scope`.execute(db);
    t.equal(foreignLinks[0]!.n, 0, "no person linked to another académie's establishment");
    const { rows: foreignRelatives } = await sql<{ n: number }>`
    select count(*)::int as n from relative_link rl
    join person pu on pu.jointure = rl.pupil_jointure
    join person r on r.jointure = rl.relative_jointure
    where pu.scope <> r.scope`.execute(db);
    t.equal(foreignRelatives[0]!.n, 0, "no pupil linked to another académie's relative");
    const { rows: created } = await sql<{ key: string; jointure: string; scope: string }>`
    select entity_key as key, changes -> 'after' ->> 'jointure' as jointure,
      changes -> 'after' ->> 'scope' as scope
    from change_event
    where entity_type = 'person' and op = 'created' and entity_key = ${`${shared[0]}@SUD`}`.execute(
      db,
    );
    t.same(created, [{ key: `${shared[0]}@SUD`, jointure: shared[0], scope: 'SUD' }]);

    // NORD's next complete departs none of SUD's persons (absent from it).
    // (NORD's files again, under a later date)
    const later = join(t.testdirName, 'nord-later');
    mkdirSync(later, { recursive: true });
    for (const file of completeFiles(nordDir))
      copyFileSync(file, join(later, basename(file).replace('_20240907_', '_20240914_')));
    const nordLater = await ingest(later);
    t.equal(nordLater.status, 'applied');
    t.same(await persons(db, 'SUD'), sudPersons, "NORD's complete changed no person of SUD");
    const { rows: departed } = await sql<{ scope: string; n: number }>`
    select p.scope, count(*)::int as n from change_event e join person p on p.jointure = e.entity_key
    where e.import_id = ${nordLater.importId} and e.entity_type = 'person' and e.op = 'departed'
    group by p.scope`.execute(db);
    t.ok(
      departed.every((d) => d.scope === 'NORD'),
      'departures of NORD only',
    );

    // The API: a shared jointure names two persons; ?scope= names one, shown by its AAF id.
    const config = loadConfig({ ...process.env, DATABASE_URL: url });
    const app = await buildApp({ config, db, log: silent });
    t.teardown(() => app.close());
    const { token } = await createApiKey(db, { name: 't', scopes: ['admin'], actor: 'test' });
    const get = (path: string) =>
      app.inject({ url: path, headers: { authorization: `Bearer ${token}` } });
    const own = [...sudPersons.keys()].find((k) => !k.includes('@'))!;
    const several = await get(`/v1/accounts/jointure:${shared[0]!}`);
    t.equal(several.statusCode, 409);
    t.match(several.json(), { code: 'API_ERR_ACCOUNT_IN_SEVERAL_SCOPES' });
    const inNord = (await get(`/v1/accounts/jointure:${shared[0]!}?scope=NORD`)).json();
    const inSud = (await get(`/v1/accounts/jointure:${shared[0]!}?scope=SUD`)).json();
    t.match(inNord, { jointure: shared[0], scope: 'NORD', id: Number(twins[0]!.id) });
    t.match(inSud, { jointure: shared[0], scope: 'SUD', id: Number(twins[1]!.id) });
    // What it names shows AAF ids too (class and group references keep the class key).
    const { memberships: _classKeys, ...named } = inSud as Record<string, unknown>;
    t.notMatch(JSON.stringify(named), /@SUD/, 'no qualified key in the account');
    const sudPupil = (
      await db
        .selectFrom('person')
        .select('jointure')
        .where('scope', '=', 'SUD')
        .where('category', '=', 'pupil')
        .where('jointure', 'like', '%@SUD')
        .executeTakeFirstOrThrow()
    ).jointure;
    const pupil = (await get(`/v1/accounts/jointure:${sudPupil.split('@')[0]!}?scope=SUD`)).json();
    t.match(pupil, { scope: 'SUD', jointure: sudPupil.split('@')[0] });
    t.ok(pupil.establishments.length > 0 && pupil.relations.relatives.length > 0);
    t.notMatch(
      JSON.stringify([pupil.jointure, pupil.establishments, pupil.relations]),
      /@/,
      'establishments and relatives by AAF id',
    );
    t.match((await get(`/v1/accounts/jointure:${own}`)).json(), { jointure: own, scope: 'SUD' });
  },
);
