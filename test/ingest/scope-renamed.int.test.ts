// A deployment whose file names change their scope token (an académie renamed, files without a
// token mixed with named ones) sees the same AAF ids as a new académie: the same schools must
// not appear a second time, with new persons and accounts.
import { appendFileSync, copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
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

/** The files of `from` under another scope token and a later date (bytes changed: not a duplicate). */
function renamed(from: string, to: string, prefix: string): void {
  mkdirSync(to, { recursive: true });
  for (const file of completeFiles(from)) {
    const name = basename(file).replace('ENT_NORD_', prefix);
    const target = join(to, name.replace('_20240907_', '_20240914_'));
    copyFileSync(file, target);
    appendFileSync(target, '\n');
  }
}

/** Persons by scope, state and account, with the establishments they are attached to. */
async function directory(db: Kysely<Database>) {
  const { rows } = await sql<{ scope: string; category: string; n: number; accounts: number }>`
    select p.scope, p.category, count(*)::int as n,
      count(*) filter (where p.has_account and p.state = 'active')::int as accounts
    from person p group by 1, 2 order by 1, 2`.execute(db);
  return rows;
}

for (const [label, scope] of [
  ['renamed académie', 'PICARDIE'],
  ['files without a scope token', null],
] as const) {
  t.test(`${label}: the same schools under another scope are refused`, async (t) => {
    const aDir = join(t.testdirName, 'a');
    const bDir = join(t.testdirName, 'b');
    await generateAcademie({ out: aDir, seed: 3, persons: 1500, scope: 'NORD' });
    renamed(aDir, bDir, scope ? `ENT_${scope}_` : 'ENT_');
    const { db } = await testDb(t);
    const deps: IngestDeps = { db, log: silent, settings: DEFAULT_INGEST_SETTINGS };
    const ingest = async (dir: string) =>
      (await ingestPaths(deps, completeFiles(dir), { source: 'test' })).imports[0]!;
    t.equal((await ingest(aDir)).status, 'applied');
    const before = await directory(db);
    const structures = await db.selectFrom('structure').select(['jointure', 'uai']).execute();
    t.ok(structures.length > 1, 'several schools');

    const b = await ingest(bDir);
    t.equal(b.scope, scope ?? '-');
    t.equal(b.status, 'refused');
    t.match(b.error, { code: 'INGEST_ERR_SCOPE_CHANGED' });
    t.match(b.error!.message, new RegExp(`scope ${scope ?? '-'}.*scope NORD holds`));
    t.same(
      b.warningsByCode,
      { UAI_CONFLICT: structures.length },
      'every school listed, with the structure holding its UAI',
    );
    const etab = b.files.find((f) => f.entity === 'EtabEducNat')!;
    t.match(etab.outcomes, { created: 0, held: structures.length });
    t.ok(
      b.files.filter((f) => f.entity !== 'EtabEducNat').every((f) => f.outcomes.created === 0),
      'no person planned',
    );
    t.same(await directory(db), before, 'no second copy: no person, no account moved or added');
    t.same(
      await db.selectFrom('structure').select(['jointure', 'uai']).execute(),
      structures,
      'no second school',
    );
    const { rows: events } = await sql<{ n: number }>`
      select count(*)::int as n from change_event where import_id = ${b.importId}`.execute(db);
    t.equal(events[0]!.n, 0, 'nothing sent to targets or webhooks');
  });
}
