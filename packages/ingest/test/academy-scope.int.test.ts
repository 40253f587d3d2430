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
  t.equal(autre.status, 'applied');
  t.equal(autre.scope, 'AUTRE');
  t.same(autre.rejectsByCode.JOINTURE_SCOPE_CONFLICT, 2, 'the collège and pupil 9300102');
  t.match(
    autre.rejects.filter((r) => r.code === 'JOINTURE_SCOPE_CONFLICT'),
    [
      {
        identifier: '910001',
        entity: 'EtabEducNat',
        message: /structure 910001 of scope AUTRE is held by a structure of scope TEST/,
      },
      {
        identifier: '9300102',
        entity: 'Eleve',
        message: /person 9300102 of scope AUTRE is held by a active person of scope TEST/,
      },
    ],
  );
  const eleve = autre.files.find((f) => f.entity === 'Eleve')!;
  t.match(eleve.outcomes, { created: 1, rejected: 1 }, 'the rest of the file applied');
  // Nothing of TEST moved: its collège, its persons (the complete of AUTRE covered "910001").
  t.match(
    await h.db.selectFrom('structure').selectAll().where('jointure', '=', '910001').execute(),
    [{ scope: 'TEST', uai: '0990001N', version: 1 }],
  );
  const all = await scopes(h);
  t.same(
    Object.entries(all).filter(([j]) => j.startsWith('93')),
    Object.entries(all)
      .filter(([j]) => j.startsWith('93'))
      .map(([j]) => [j, 'TEST:active']),
    'every person of TEST still active, still TEST',
  );
  t.equal(all['9400101'], 'AUTRE:active', "AUTRE's pupil is AUTRE's");
  t.equal(
    await count(h.db, 'person_structure', { person_jointure: '9400101' }),
    0,
    "never linked to TEST's collège (an unknown structure for AUTRE)",
  );
  t.ok((autre.warningsByCode.UNKNOWN_STRUCTURE ?? 0) > 0);
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from change_event
    where import_id = ${autre.importId} and entity_key like '93%'`.execute(h.db);
  t.equal(rows[0]!.n, 0, "no event about TEST's persons");

  // A delta of AUTRE deleting TEST's pupil 9300101: rejected, the pupil stays.
  const del = (
    await h.ingest(
      variant(join(t.testdirName, 'autre-delta'), {
        from: '2d',
        pick: 'Delta_20240910_Eleve',
        scope: 'AUTRE',
      }),
    )
  ).imports[0]!;
  t.same(
    del.rejectsByCode.JOINTURE_SCOPE_CONFLICT,
    2,
    'its modify and delete name TEST pupils (its add is a new AUTRE pupil)',
  );
  t.equal((await scopes(h))['9300101'], 'TEST:active');
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
  'the same bytes under another scope are conflicts, never skipped as unchanged',
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
        }),
      )
    ).imports[0]!;
    t.equal(again.status, 'applied', JSON.stringify(again.error));
    // 1 structure, 2 pupils, 3 relatives, 3 staff: every jointure is TEST's.
    t.same(again.rejectsByCode, { JOINTURE_SCOPE_CONFLICT: 9 });
    for (const f of again.files.filter((f) =>
      ['Eleve', 'PersRelEleve', 'PersEducNat'].includes(f.entity),
    ))
      t.equal(f.outcomes.rejected, f.records, `${f.entity}: every record rejected`);
    t.same(await scopes(h), before, 'nothing of TEST changed');
  },
);
