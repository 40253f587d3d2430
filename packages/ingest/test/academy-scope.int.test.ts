import { join } from 'node:path';
import { sql } from '@aaf-sync/db';
import t from 'tap';
import { count, harness, SECOND_SCHOOL, variant } from './helpers.js';

/**
 * The 2D sample as académie AUTRE sends it: its own persons (other ids, INEs, UAI), but its
 * collège reuses the jointure 910001 of académie TEST's, and pupil 9300102 TEST's pupil id.
 */
const AUTRE: readonly (readonly [string, string])[] = [
  ...SECOND_SCHOOL.filter(([a]) => a !== '910001'),
  ['9400102', '9300102'],
];

const scopes = async (h: Awaited<ReturnType<typeof harness>>) =>
  Object.fromEntries(
    (
      await h.db
        .selectFrom('person')
        .select(['jointure', 'scope', 'state'])
        .orderBy('jointure')
        .execute()
    ).map((p) => [p.jointure, `${p.scope}:${p.state}`]),
  );

t.test('a complete of one académie never touches the persons of another', async (t) => {
  const h = await harness(t);
  const test = (
    await h.ingest(variant(join(t.testdirName, 'test'), { from: '2d', pick: 'Complet' }))
  ).imports[0]!;
  t.equal(test.status, 'applied');
  t.equal(test.scope, 'TEST');
  t.equal(await count(h.db, 'person', { scope: 'TEST', state: 'active' }), 8);
  t.equal(await count(h.db, 'structure', { scope: 'TEST' }), 1);
  const { rows: created } = await sql<{ entity_key: string; scope: string }>`
    select entity_key, changes::jsonb -> 'after' ->> 'scope' as scope from change_event
    where op = 'created' and entity_key in ('910001', '9300101') order by entity_key`.execute(h.db);
  t.same(
    created.map((e) => [e.entity_key, e.scope]),
    [
      ['910001', 'TEST'],
      ['9300101', 'TEST'],
    ],
    'the created events say which académie',
  );

  const autre = (
    await h.ingest(
      variant(join(t.testdirName, 'autre'), {
        from: '2d',
        pick: 'Complet',
        scope: 'AUTRE',
        replace: AUTRE,
      }),
    )
  ).imports[0]!;
  t.equal(autre.status, 'applied', JSON.stringify(autre.error));
  t.equal(autre.scope, 'AUTRE');
  t.same(autre.rejectsByCode, {}, 'the same ids in another académie are other persons');
  // The collège 910001 and pupil 9300102 of AUTRE: rows of their own, under qualified keys.
  t.match(
    await h.db
      .selectFrom('structure')
      .select(['jointure', 'aaf_id', 'scope', 'uai', 'version'])
      .where('aaf_id', '=', '910001')
      .orderBy('scope')
      .execute(),
    [
      { jointure: '910001@AUTRE', aaf_id: '910001', scope: 'AUTRE', uai: '0990002P' },
      { jointure: '910001', aaf_id: '910001', scope: 'TEST', uai: '0990001N', version: 1 },
    ],
  );
  const pupils = await h.db
    .selectFrom('person')
    .select(['id', 'jointure', 'aaf_id', 'scope', 'state', 'ine'])
    .where('aaf_id', '=', '9300102')
    .orderBy('scope')
    .execute();
  t.match(pupils, [
    { jointure: '9300102@AUTRE', scope: 'AUTRE', state: 'active', ine: /^3/ },
    { jointure: '9300102', scope: 'TEST', state: 'active' },
  ]);
  t.not(pupils[0]!.ine, pupils[1]!.ine, 'each with its own record');
  const eleve = autre.files.find((f) => f.entity === 'Eleve')!;
  t.match(eleve.outcomes, { created: 2, rejected: 0 });
  // Each person of AUTRE linked to AUTRE's collège, never to TEST's.
  t.same(
    (
      await h.db
        .selectFrom('person_structure')
        .select('structure_jointure')
        .where('person_jointure', 'in', ['9400101', '9300102@AUTRE'])
        .execute()
    ).map((r) => r.structure_jointure),
    ['910001@AUTRE', '910001@AUTRE'],
  );
  t.equal(autre.warningsByCode.UNKNOWN_STRUCTURE ?? 0, 0);
  const all = await scopes(h);
  t.same(
    Object.entries(all).filter(([j]) => j.startsWith('93') && !j.endsWith('@AUTRE')),
    Object.entries(all)
      .filter(([j]) => j.startsWith('93') && !j.endsWith('@AUTRE'))
      .map(([j]) => [j, 'TEST:active']),
    'every person of TEST still active, still TEST',
  );
  t.equal(all['9400101'], 'AUTRE:active', "AUTRE's pupil is AUTRE's");
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from change_event e
    where import_id = ${autre.importId}
      and (e.entity_key in (select jointure from person where scope = 'TEST')
        or e.entity_key in (select jointure from structure where scope = 'TEST'))`.execute(h.db);
  t.equal(rows[0]!.n, 0, "no event about TEST's persons or structures");

  // A delta of AUTRE naming 9300101 (a pupil of TEST only) and 9300102 (one of each).
  const del = (
    await h.ingest(
      variant(join(t.testdirName, 'autre-delta'), {
        from: '2d',
        pick: 'Delta_20240910_Eleve',
        scope: 'AUTRE',
      }),
    )
  ).imports[0]!;
  t.equal(del.status, 'applied', JSON.stringify(del.error));
  t.match(del.rejects, [{ code: 'UNKNOWN_ENTITY', identifier: '9300101' }]);
  t.equal((await scopes(h))['9300101'], 'TEST:active', "TEST's pupil untouched");
});

t.test('a pupil moving académie keeps its identity, and the event names both scopes', async (t) => {
  const h = await harness(t);
  await h.ingest(variant(join(t.testdirName, 'test'), { from: '2d', pick: 'Complet' }));
  const { id } = await h.db
    .selectFrom('person')
    .select('id')
    .where('jointure', '=', '9300101')
    .executeTakeFirstOrThrow();
  // AUTRE's pupil 9400101 carries the INE of TEST's pupil 9300101.
  const moved = (
    await h.ingest(
      variant(join(t.testdirName, 'autre'), {
        from: '2d',
        pick: 'Complet_20240907_Eleve',
        scope: 'AUTRE',
        replace: [...SECOND_SCHOOL, ['<value>323456789AB</value>', '<value>123456789AB</value>']],
      }),
    )
  ).imports[0]!;
  t.equal(moved.status, 'applied');
  t.match(
    await h.db.selectFrom('person').select(['jointure', 'scope']).where('id', '=', id).execute(),
    [{ jointure: '9400101', scope: 'AUTRE' }],
    'the same person, now of AUTRE',
  );
  const { rows } = await sql<{ changes: { fields: Record<string, unknown> } }>`
    select changes from change_event
    where import_id = ${moved.importId} and entity_type = 'person' and entity_key = '9400101'`.execute(
    h.db,
  );
  t.match(rows[0]?.changes.fields, {
    jointure: ['9300101', '9400101'],
    scope: ['TEST', 'AUTRE'],
  });
});

t.test(
  'the same ids under another scope are other persons, never skipped as unchanged',
  async (t) => {
    const h = await harness(t);
    await h.ingest(variant(join(t.testdirName, 'test'), { from: '2d', pick: 'Complet' }));
    const before = await scopes(h);
    const again = (
      await h.ingest(
        variant(join(t.testdirName, 'autre-same-bytes'), {
          from: '2d',
          pick: 'Complet',
          scope: 'AUTRE',
          // (the same files on the same date would be a duplicate delivery, refused as a whole)
          date: '20240914',
          // its own school and pupils (the same UAI or INE would be the same school or pupil)
          replace: [
            ['<value>123456', '<value>323456'],
            ['0990001N', '0990002P'],
          ],
        }),
      )
    ).imports[0]!;
    t.equal(again.status, 'applied', JSON.stringify(again.error));
    // 1 structure, 2 pupils, 3 relatives, 3 staff: every id is TEST's too, none merged.
    t.same(again.rejectsByCode, {});
    for (const f of again.files.filter((f) =>
      ['Eleve', 'PersRelEleve', 'PersEducNat'].includes(f.entity),
    ))
      t.equal(f.outcomes.created, f.records, `${f.entity}: every record a new person of AUTRE`);
    const autre = await h.db
      .selectFrom('person')
      .select(['jointure', 'aaf_id'])
      .where('scope', '=', 'AUTRE')
      .execute();
    t.equal(autre.length, 8);
    t.ok(autre.every((p) => p.jointure === `${p.aaf_id}@AUTRE` && `${p.aaf_id}` in before));
    // Each pupil of AUTRE linked to AUTRE's relatives, with its own identifiers.
    const links = await h.db
      .selectFrom('relative_link')
      .select(['pupil_jointure', 'relative_jointure'])
      .where('pupil_jointure', 'like', '%@AUTRE')
      .execute();
    t.ok(links.length > 0 && links.every((l) => l.relative_jointure.endsWith('@AUTRE')));
    const { rows: events } = await sql<{ n: number }>`
      select count(*)::int as n from change_event
      where import_id = ${again.importId} and entity_type = 'person' and op = 'created'
        and entity_key like '%@AUTRE'`.execute(h.db);
    t.equal(events[0]!.n, 8);
    t.same(
      Object.fromEntries(Object.entries(await scopes(h)).filter(([j]) => !j.endsWith('@AUTRE'))),
      before,
      'nothing of TEST changed',
    );
  },
);

t.test("an id holding '@', the separator of directory keys, is rejected", async (t) => {
  const h = await harness(t);
  const report = (
    await h.ingest(
      variant(join(t.testdirName, 'test'), {
        from: '2d',
        pick: 'Complet',
        replace: [['9300102', '9300102@X']],
      }),
    )
  ).imports[0]!;
  t.equal(report.status, 'applied', JSON.stringify(report.error));
  t.same(report.rejectsByCode, { INVALID_IDENTIFIER: 1 });
  t.match(report.rejects, [
    { code: 'INVALID_IDENTIFIER', identifier: '9300102@X', entity: 'Eleve', message: /'@'/ },
  ]);
  t.equal(await count(h.db, 'person', { scope: 'TEST', state: 'active' }), 7, 'the rest applied');
});
