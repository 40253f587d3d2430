import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { count, harness, variant } from './helpers.js';

function edit(dir: string, entity: string, fn: (text: string) => string): void {
  const name = readdirSync(dir).find((n) => n.includes(`_${entity}_`))!;
  writeFileSync(join(dir, name), fn(readFileSync(join(dir, name), 'utf8')));
}

t.test('a truncated file is not applied at all, the rest of the delivery is', async (t) => {
  const h = await harness(t, { holdMinDepartures: 1 });
  await h.ingest(variant(t.testdir(), { from: '2d', pick: 'Complet' }));
  const dir = variant(join(t.testdirName, 'c14'), {
    from: '2d',
    pick: 'Complet',
    date: '20240914',
    replace: [['ROUSSEL', 'ROUSSEL-DURAND']],
  });
  edit(dir, 'Eleve', (text) => text.slice(0, Math.floor(text.length / 2)));
  const { imports } = await h.ingest(dir);
  const r = imports[0]!;
  const eleve = r.files.find((f) => f.entity === 'Eleve')!;
  t.equal(eleve.status, 'failed');
  t.match(eleve.error, { code: 'AAF_ERR_TRUNCATED' });
  t.match(r.error, { code: 'INGEST_ERR_FILES_FAILED' });
  t.equal(r.status, 'applied', 'the readable files are applied');
  const pupils = await h.db
    .selectFrom('person')
    .select('state')
    .where('category', '=', 'pupil')
    .execute();
  t.same(
    pupils.map((p) => p.state),
    ['active', 'active'],
    'pupils are not departed: their file could not be read',
  );
  const staff = await h.db
    .selectFrom('person')
    .select('sn')
    .where('jointure', '=', '9320302')
    .executeTakeFirstOrThrow();
  t.equal(staff.sn, 'ROUSSEL-DURAND', 'the staff file was applied');
});

t.test('a file that is not XML stops that file with a clear error', async (t) => {
  const h = await harness(t);
  const dir = variant(t.testdir(), { from: '2d', pick: 'Complet' });
  edit(dir, 'PersEducNat', () => 'this is not xml at all\n');
  const { imports } = await h.ingest(dir);
  const file = imports[0]!.files.find((f) => f.entity === 'PersEducNat')!;
  t.equal(file.status, 'failed');
  t.match(String(file.error?.code), /^AAF_ERR_/);
  t.equal(await count(h.db, 'person', { category: 'staff' }), 0);
  t.equal(await count(h.db, 'person', { category: 'pupil' }), 2);
});

t.test('bad records become rejects with codes; good records go through', async (t) => {
  const h = await harness(t);
  const dir = variant(t.testdir(), { from: '2d', pick: 'Complet' });
  edit(dir, 'PersRelEleve', (text) =>
    text.replace(
      /<attr name="givenName"><value>[^<]*<\/value><\/attr>/,
      '<attr name="givenName"><value/></attr>',
    ),
  );
  edit(dir, 'Eleve', (text) =>
    text
      .replace('<value>910001$5B</value>', '<value>910001$5B$EXTRA</value>')
      .replace(
        '<attr name="ENTEleveBoursier">',
        '<attr name="ENTEleveNouvelAttribut2031"><value>X</value></attr><attr name="ENTEleveBoursier">',
      ),
  );
  const { imports } = await h.ingest(dir);
  const r = imports[0]!;
  t.equal(r.status, 'applied');
  t.ok(r.rejectsByCode.MISSING_REQUIRED! >= 1, 'the relative without given name is rejected');
  t.ok(r.rejectsByCode.COMPOSITE_ARITY! >= 1, 'the class value with three fields is rejected');
  const reject = r.rejects.find((x) => x.code === 'MISSING_REQUIRED')!;
  t.match(reject, { entity: 'PersRelEleve', file: /PersRelEleve/ });
  t.ok(reject.line && reject.line > 1, 'the line is given');
  const raw = await h.db
    .selectFrom('import_reject')
    .select('raw')
    .where('code', '=', 'MISSING_REQUIRED')
    .executeTakeFirstOrThrow();
  t.match(raw.raw, /<identifier><id>93102\d\d<\/id><\/identifier>/, 'the raw record is kept');
  t.equal(
    r.files.find((f) => f.entity === 'Eleve')!.unknownAttributes.ENTEleveNouvelAttribut2031,
    1,
    'unknown attributes are counted',
  );
  const pupil = await h.db
    .selectFrom('person')
    .select('attributes')
    .where('jointure', '=', '9300101')
    .executeTakeFirstOrThrow();
  t.same(pupil.attributes.ENTEleveNouvelAttribut2031, ['X'], 'and kept raw');
  t.equal(await count(h.db, 'person', { category: 'pupil' }), 2, 'both pupils exist');
  t.equal(
    await count(h.db, 'membership'),
    2,
    'the pupil with a bad class value has no class; the other has class and group',
  );
});

t.test(
  'classes come only from pupils: a teacher link to a class without pupils is stale',
  async (t) => {
    const h = await harness(t);
    const dir = variant(t.testdir(), {
      from: '2d',
      pick: 'Complet',
      replace: [['910001$5B$061300', '910001$4C$061300']],
    });
    const { imports } = await h.ingest(dir);
    const codes = (await h.db.selectFrom('class_group').select('code').execute())
      .map((c) => c.code)
      .sort();
    t.same(codes, ['5A', '5B', '5LAT'], 'no class 4C');
    const links = await h.db
      .selectFrom('teaching_link')
      .select(['code', 'subject_code'])
      .where('code', '=', '4C')
      .execute();
    t.same(links, [{ code: '4C', subject_code: '061300' }], 'the link is recorded');
    t.equal(imports[0]!.establishments[0]!.staleTeachingLinks, 1, 'and reported as stale');
  },
);
