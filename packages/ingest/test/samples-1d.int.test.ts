import { join } from 'node:path';
import t from 'tap';
import { count, harness, variant } from './helpers.js';

t.test(
  'the 1D complete sample ingests: école, pupil with class id and label, parents, director',
  async (t) => {
    const h = await harness(t);
    const { imports } = await h.ingest(variant(t.testdir(), { from: '1d', pick: 'Complet' }));
    const r = imports[0]!;
    t.equal(r.status, 'applied');
    t.equal(r.level, '1d', 'the level is read from the attribute names');
    t.match(r.establishments, [{ uai: '0990002P', structure: '920001', created: 4 }]);
    t.match(r.references, { structures: { created: 1 } }, 'the école on a line of its own');
    const cls = await h.db.selectFrom('class_group').select(['kind', 'code', 'label']).execute();
    t.same(
      cls,
      [{ kind: 'class', code: 'C0101', label: 'CM1 B' }],
      '1D classes keep their stable id and their label',
    );
    t.equal(await count(h.db, 'relative_link'), 2);
    const director = await h.db
      .selectFrom('person')
      .select(['profile', 'level'])
      .where('jointure', '=', '9420301')
      .executeTakeFirstOrThrow();
    t.same(director, { profile: 'teacher', level: '1d' });
    t.equal(
      await count(h.db, 'direction', { person_jointure: '9420301' }),
      1,
      'the directrice is on the direction team',
    );
  },
);

t.test('a 1D class renamed in a later complete keeps its id and changes its label', async (t) => {
  const h = await harness(t);
  await h.ingest(variant(t.testdir(), { from: '1d', pick: 'Complet' }));
  const later = variant(join(t.testdirName, 'c14'), {
    from: '1d',
    pick: 'Complet',
    date: '20240914',
    replace: [['$C0101$CM1 B', '$C0101$CM1 BLEUE']],
  });
  const { imports } = await h.ingest(later);
  t.equal(imports[0]!.status, 'applied');
  const cls = await h.db.selectFrom('class_group').select(['code', 'label', 'version']).execute();
  t.same(cls, [{ code: 'C0101', label: 'CM1 BLEUE', version: 2 }]);
  const events = await h.db
    .selectFrom('change_event')
    .select(['op', 'changes'])
    .where('entity_type', '=', 'class')
    .orderBy('seq')
    .execute();
  t.same(
    events.map((e) => e.op),
    ['created', 'updated'],
  );
  t.same(events[1]!.changes, { fields: { label: ['CM1 B', 'CM1 BLEUE'] } });
});
