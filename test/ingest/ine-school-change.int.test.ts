// End to end on a generated académie of both levels (with quirks): CM2 pupils of the écoles'
// Complet carry the INE of 6e pupils of the collèges' Complet (the écoles' file still listing
// them at the rentrée). Read after the collèges', each is a second person and a conflict, the
// collégien untouched; read before, the collège's record takes the pupil over (identity by INE).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { sql } from '@aaf-sync/db';
import { generateAcademie, type CompleteExpectation } from '@aaf-sync/generator';
import { DEFAULT_INGEST_SETTINGS, ingestPaths, type IngestDeps } from '@aaf-sync/ingest';
import { createLogger } from '@aaf-sync/logger';
import { testDb } from '@aaf-sync/testing';

const silent = createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));

t.test('1D and 2D Completes sharing INEs, in either order', async (t) => {
  const out = t.testdir();
  // Enough persons for collèges (6e) besides lycées.
  const { manifest } = await generateAcademie({
    out,
    seed: 3,
    persons: 8000,
    level: 'both',
    quirks: true,
  });
  const oneD = manifest.deliveries.find((d) => d.kind === 'complete' && d.level === '1d')!;
  const shared = (oneD.expected as CompleteExpectation).quirks.find(
    (q) => q.kind === 'ine-shared-with-college',
  )!;
  t.ok(shared.count >= 5, `${shared.count} CM2 pupils carry a collégien's INE`);
  const pairs = shared.pairs!.map((p) => p.split('$') as [string, string]);
  const files = (level: string) =>
    readdirSync(join(out, level))
      .filter((n) => n.endsWith('.xml'))
      .map((n) => join(out, level, n));
  const engine = async () => {
    const { db } = await testDb(t);
    const deps: IngestDeps = { db, log: silent, settings: DEFAULT_INGEST_SETTINGS };
    const ingest = async (level: string) => {
      const r = (await ingestPaths(deps, files(level), { source: 'test' })).imports[0]!;
      t.equal(r.status, 'applied', `${level} applied`);
      return r;
    };
    const person = async (jointure: string) =>
      db
        .selectFrom('person')
        .select(['id', 'jointure', 'level', 'state', 'primary_structure', 'version'])
        .where('jointure', '=', jointure)
        .executeTakeFirst();
    return { db, ingest, person };
  };

  t.test(
    'the écoles after the collèges: second persons, conflicts, collégiens untouched',
    async (t) => {
      const e = await engine();
      await e.ingest('2d');
      const before = await Promise.all(pairs.map(([, college]) => e.person(college)));
      const ecoles = await e.ingest('1d');
      t.same(
        await Promise.all(pairs.map(([, college]) => e.person(college))),
        before,
        'every collégien stays at its collège, unchanged',
      );
      for (const [ecole] of pairs)
        t.match(await e.person(ecole), { level: '1d', state: 'active' }, `${ecole}: a 1D person`);
      t.equal(
        (await sql<{ n: number }>`select count(*)::int as n from person_alias`.execute(e.db))
          .rows[0]!.n,
        0,
        'no alias',
      );
      const conflicts = ecoles.warnings.filter((w) => w.code === 'INE_CONFLICT');
      t.equal(ecoles.warningsByCode.INE_CONFLICT, shared.count, 'one INE_CONFLICT per shared INE');
      t.same(
        conflicts.map((w) => w.subject).sort(),
        pairs.map(([ecole]) => ecole).sort(),
        'listed under each école pupil',
      );
    },
  );

  t.test('the écoles first: each collège record takes its pupil over', async (t) => {
    const e = await engine();
    await e.ingest('1d');
    const before = await Promise.all(pairs.map(([ecole]) => e.person(ecole)));
    const colleges = await e.ingest('2d');
    for (const [i, [ecole, college]] of pairs.entries()) {
      t.equal(await e.person(ecole), undefined, `${ecole} renamed`);
      t.match(await e.person(college), { id: before[i]!.id, level: '2d', state: 'active' });
    }
    const { rows } = await sql<{ jointure: string }>`
      select jointure from person_alias where reason = 'ine' order by jointure`.execute(e.db);
    t.same(
      rows.map((r) => r.jointure),
      pairs.map(([ecole]) => ecole).sort(),
      'the école jointures are aliases',
    );
    t.notOk(colleges.warningsByCode.INE_CONFLICT, 'no conflict: one person per INE');
  });
});
