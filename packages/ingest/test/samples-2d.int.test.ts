import { join } from 'node:path';
import t from 'tap';
import { count, harness, variant } from './helpers.js';

t.test('the 2D complete sample ingests with the expected directory', async (t) => {
  const h = await harness(t);
  const { imports } = await h.ingest(variant(t.testdir(), { from: '2d', pick: 'Complet' }));
  t.equal(imports.length, 1);
  const r = imports[0]!;
  t.equal(r.status, 'applied');
  t.equal(r.kind, 'complete');
  t.equal(r.level, '2d');
  t.same(
    r.files.map((f) => [f.entity, f.records, f.status]),
    [
      ['EtabEducNat', 1, 'applied'],
      ['MatiereEducNat', 2, 'applied'],
      ['MefEducNat', 1, 'applied'],
      ['Eleve', 2, 'applied'],
      ['PersRelEleve', 3, 'applied'],
      ['PersEducNat', 3, 'applied'],
    ],
  );
  t.equal(await count(h.db, 'structure'), 1);
  t.equal(await count(h.db, 'subject'), 2);
  t.equal(await count(h.db, 'mef'), 1);
  const persons = await h.db
    .selectFrom('person')
    .select(['jointure', 'category', 'profile', 'state', 'primary_structure'])
    .orderBy('jointure')
    .execute();
  t.same(
    persons.map((p) => [p.jointure, p.category, p.state, p.primary_structure]),
    [
      ['9300101', 'pupil', 'active', '910001'],
      ['9300102', 'pupil', 'active', '910001'],
      ['9310201', 'relative', 'active', '910001'],
      ['9310202', 'relative', 'active', '910001'],
      // Contact only (legal 0): no account, so no establishment of its own.
      ['9310203', 'relative', 'active', null],
      ['9320301', 'staff', 'active', '910001'],
      ['9320302', 'staff', 'active', '910001'],
      ['9320303', 'staff', 'active', '910001'],
    ],
  );
  t.equal(
    persons.find((p) => p.jointure === '9320301')?.profile,
    'teacher',
    'the maths teacher is a teacher',
  );
  t.equal(persons.find((p) => p.jointure === '9320303')?.profile, 'staff', 'the AED is not');
  const classes = await h.db
    .selectFrom('class_group')
    .select(['kind', 'code', 'state'])
    .orderBy('kind')
    .orderBy('code')
    .execute();
  t.same(classes, [
    { kind: 'class', code: '5A', state: 'active' },
    { kind: 'class', code: '5B', state: 'active' },
    { kind: 'group', code: '5LAT', state: 'active' },
  ]);
  t.equal(await count(h.db, 'membership'), 3);
  t.equal(await count(h.db, 'relative_link'), 5);
  const e = r.establishments[0]!;
  t.match(e, {
    uai: '0990001N',
    structure: '910001',
    status: 'applied',
    created: 8,
    departed: 0,
    staleTeachingLinks: 0,
  });
  t.equal(r.totals.rejects, 0);
});

t.test('every change is in the event log, with versions and UAIs', async (t) => {
  const h = await harness(t);
  await h.ingest(variant(t.testdir(), { from: '2d', pick: 'Complet' }));
  const events = await h.db.selectFrom('change_event').selectAll().orderBy('seq').execute();
  const byType = (type: string, op: string) =>
    events.filter((e) => e.entity_type === type && e.op === op).length;
  t.equal(byType('structure', 'created'), 1);
  t.equal(byType('person', 'created'), 8);
  t.equal(byType('class', 'created'), 2);
  t.equal(byType('group', 'created'), 1);
  t.equal(byType('membership', 'created'), 3);
  t.equal(byType('relative_link', 'created'), 5);
  const pupil = events.find((e) => e.entity_type === 'person' && e.entity_key === '9300101')!;
  t.same(pupil.uais, ['0990001N']);
  t.equal(pupil.version, 1);
  t.ok(
    events.every((e) => e.import_id !== null),
    'each event names its import',
  );
  const firstMembership = events.findIndex((e) => e.entity_type === 'membership');
  const pupilCreated = events.findIndex(
    (e) => e.entity_type === 'person' && e.entity_key === '9300101',
  );
  t.ok(pupilCreated < firstMembership, 'a person is announced before its memberships');
});

t.test('the same delivery twice is a no-op', async (t) => {
  const h = await harness(t);
  const dir = variant(t.testdir(), { from: '2d', pick: 'Complet' });
  await h.ingest(dir);
  const before = await count(h.db, 'change_event');
  const { imports } = await h.ingest(dir);
  t.equal(imports[0]!.status, 'duplicate');
  t.equal(await count(h.db, 'change_event'), before, 'no event written');
});

t.test('a delta applies adds, modifies and deletes on top of the complete', async (t) => {
  const h = await harness(t);
  await h.ingest(variant(t.testdir(), { from: '2d', pick: 'Complet' }));
  const { imports } = await h.ingest(
    variant(join(t.testdirName, 'delta'), { from: '2d', pick: 'Delta' }),
  );
  const r = imports[0]!;
  t.equal(r.status, 'applied');
  t.equal(r.kind, 'delta');
  const state = Object.fromEntries(
    (await h.db.selectFrom('person').select(['jointure', 'state']).execute()).map((p) => [
      p.jointure,
      p.state,
    ]),
  );
  t.equal(state['9300101'], 'departed', 'deleteRequest departs the pupil (kept, not deleted)');
  t.equal(state['9300103'], 'active', 'the new pupil exists');
  t.equal(state['9310204'], 'active', 'and its parent');
  const members = await h.db
    .selectFrom('membership as m')
    .innerJoin('class_group as c', 'c.id', 'm.class_group_id')
    .select(['m.person_jointure', 'c.code'])
    .orderBy('m.person_jointure')
    .orderBy('c.code')
    .execute();
  t.same(
    members.map((m) => `${m.person_jointure}:${m.code}`),
    ['9300102:5A', '9300102:5LAT', '9300103:5B'],
  );
  const phone = await h.db
    .selectFrom('person')
    .select(['details', 'sn'])
    .where('jointure', '=', '9310202')
    .executeTakeFirstOrThrow();
  t.match(JSON.stringify(phone.details), /0100000099/, 'the modified phone is stored');
  t.equal(phone.sn, 'MARCHAND', 'unlisted attributes are kept by a modifyRequest');
  const relative = await h.db
    .selectFrom('person_structure')
    .select('structure_jointure')
    .where('person_jointure', '=', '9310203')
    .execute();
  t.same(relative, [], 'a relative whose only pupil departed has no establishment left');
});

t.test('a delta older than the last applied complete is refused', async (t) => {
  const h = await harness(t);
  await h.ingest(variant(t.testdir(), { from: '2d', pick: 'Complet' }));
  const old = variant(join(t.testdirName, 'old'), { from: '2d', pick: 'Delta', date: '20240901' });
  const { imports } = await h.ingest(old);
  t.equal(imports[0]!.status, 'refused');
  t.match(imports[0]!.error, { code: 'INGEST_ERR_STALE_DELTA' });
  t.equal(await count(h.db, 'person'), 8, 'nothing applied');
});

t.test('a later complete departs the absent and restores the returning', async (t) => {
  const h = await harness(t);
  await h.ingest(variant(t.testdir(), { from: '2d', pick: 'Complet' }));
  await h.ingest(variant(join(t.testdirName, 'delta'), { from: '2d', pick: 'Delta' }));
  // The complete of the 14th: 9300101 is back (restored), 9300102 left the school.
  const later = variant(join(t.testdirName, 'c14'), {
    from: '2d',
    pick: 'Complet',
    date: '20240914',
    // (another pupil: another INE too, or it would be 9300102 found again by its INE)
    replace: [
      ['9300102', '9300109'],
      ['123456790CD', '123456790ZZ'],
    ],
  });
  const { imports } = await h.ingest(later);
  const r = imports[0]!;
  const e = r.establishments.find((x) => x.uai === '0990001N')!;
  t.equal(e.restored, 1, 'one restoration');
  // 9300102 and 9300103 (added by the delta) are absent, and so is 9310204, the parent the delta added.
  t.equal(e.departed, 3, 'the three absent persons depart');
  const state = Object.fromEntries(
    (await h.db.selectFrom('person').select(['jointure', 'state', 'departed_at']).execute()).map(
      (p) => [p.jointure, p],
    ),
  );
  t.equal(state['9300101']!.state, 'active');
  t.equal(state['9300101']!.departed_at, null);
  t.equal(state['9300102']!.state, 'departed');
  t.ok(state['9300102']!.departed_at instanceof Date, 'the departure date is recorded');
  const restored = await h.db
    .selectFrom('change_event')
    .select('op')
    .where('entity_key', '=', '9300101')
    .where('entity_type', '=', 'person')
    .orderBy('seq')
    .execute();
  t.same(
    restored.map((x) => x.op),
    ['created', 'departed', 'restored'],
  );
});
