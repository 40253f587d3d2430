import { join } from 'node:path';
import { sql } from '@aaf-sync/db';
import t from 'tap';
import { count, harness, variant } from './helpers.js';

/** The 2D sample with a pupil and a teacher naming structure 910009, absent from the files. */
const PHANTOM: readonly (readonly [string, string])[] = [
  // pupil 9300102: a group of the unknown school
  [
    '<attr name="ENTEleveGroupes"><value/></attr>',
    '<attr name="ENTEleveGroupes"><value>910009$ATELIER</value></attr>',
  ],
  // teacher 9320301: a teaching link and a function there
  [
    '<value>910001$5A$061300</value><value>910001$5B$061300</value>',
    '<value>910001$5A$061300</value><value>910001$5B$061300</value><value>910009$6C$061300</value>',
  ],
  [
    '<value>910001$ENS$ENSEIGNEMENT$L1300$MATHEMATIQUES</value>',
    '<value>910001$ENS$ENSEIGNEMENT$L1300$MATHEMATIQUES</value><value>910009$ENS$ENSEIGNEMENT$L1300$MATHEMATIQUES</value>',
  ],
];

t.test('links to an unknown structure wait for it, then are materialised', async (t) => {
  const h = await harness(t);
  const first = (
    await h.ingest(
      variant(join(t.testdirName, 'c'), { from: '2d', pick: 'Complet', replace: PHANTOM }),
    )
  ).imports[0]!;
  t.equal(first.status, 'applied');
  t.same(first.rejectsByCode, {}, 'the records are kept');
  t.same(first.warningsByCode, { UNKNOWN_STRUCTURE: 2 }, 'one warning per record and structure');
  t.same(
    first.warnings.map((w) => [w.code, w.subject, w.uai]),
    [
      ['UNKNOWN_STRUCTURE', '9300102', '0990001N'],
      ['UNKNOWN_STRUCTURE', '9320301', '0990001N'],
    ],
    'listed under the establishment the record belongs to',
  );
  t.match(first.warnings[1]!.message, /910009.*teaching class 6C, function ENS/);
  t.equal(
    await count(h.db, 'class_group', { structure_jointure: '910009' }),
    0,
    'no phantom class',
  );
  t.equal(await count(h.db, 'person_structure', { structure_jointure: '910009' }), 0);
  t.equal(await count(h.db, 'person_function', { structure_jointure: '910009' }), 0);
  t.equal(await count(h.db, 'teaching_link', { structure_jointure: '910009' }), 0);
  const pending = async () =>
    (
      await sql<{ jointure: string; unknown_structures: string[] }>`
        select jointure, unknown_structures from person where unknown_structures <> '{}'
        order by jointure`.execute(h.db)
    ).rows;
  t.same(await pending(), [
    { jointure: '9300102', unknown_structures: ['910009'] },
    { jointure: '9320301', unknown_structures: ['910009'] },
  ]);

  // The same complete again: nothing changed, nothing materialised, warned again.
  const again = (
    await h.ingest(
      variant(join(t.testdirName, 'c2'), {
        from: '2d',
        pick: 'Complet',
        replace: PHANTOM,
        date: '20240908',
      }),
    )
  ).imports[0]!;
  t.equal(again.totals.updated, 0, 'an unchanged record stays unchanged');

  // A delta declares the structure: the stored records are normalised again.
  const arrives = (
    await h.ingest(
      variant(join(t.testdirName, 'd'), {
        from: '2d',
        pick: 'Complet_20240907_EtabEducNat',
        kind: 'Delta',
        date: '20240910',
        replace: [
          ['910001', '910009'],
          ['0990001N', '0990009A'],
        ],
      }),
    )
  ).imports[0]!;
  t.equal(arrives.status, 'applied');
  t.same(await pending(), [], 'nothing waits any more');
  const est = arrives.establishments.find((e) => e.structure === '910001')!;
  t.equal(est.updated, 2, 'both persons updated, under the establishment they belong to');
  t.equal(await count(h.db, 'class_group', { structure_jointure: '910009', code: 'ATELIER' }), 1);
  t.equal(await count(h.db, 'membership'), 4, 'the pupil joined the group');
  t.equal(
    await count(h.db, 'person_structure', { structure_jointure: '910009' }),
    4,
    'the pupil, the teacher and the pupil’s two legal relatives',
  );
  t.equal(await count(h.db, 'person_function', { structure_jointure: '910009' }), 1);
  t.equal(await count(h.db, 'teaching_link', { structure_jointure: '910009' }), 1);
  const { rows: events } = await sql<{ entity_type: string; entity_key: string }>`
    select entity_type, entity_key from change_event where import_id = ${arrives.importId}
      and entity_type in ('membership', 'person_function', 'teaching_link')
    order by entity_type, entity_key`.execute(h.db);
  t.same(
    events.map((e) => `${e.entity_type} ${e.entity_key}`),
    [
      'membership group:910009$ATELIER|9300102',
      'person_function 9320301|910009|ENS|L1300',
      'teaching_link 9320301|910009|class|6C|061300',
    ],
    'the links arrive with their events',
  );
});

t.test('a new structure jointure with a known UAI is held, never a second school', async (t) => {
  const h = await harness(t);
  await h.ingest(variant(join(t.testdirName, 'c'), { from: '2d', pick: 'Complet' }));
  const r = (
    await h.ingest(
      variant(join(t.testdirName, 'd'), {
        from: '2d',
        pick: 'Complet_20240907_EtabEducNat',
        kind: 'Delta',
        date: '20240910',
        replace: [['910001', '910008']],
      }),
    )
  ).imports[0]!;
  t.equal(r.status, 'held');
  const est = r.establishments.find((e) => e.structure === '910008')!;
  t.equal(est.status, 'held');
  t.equal(est.holdReason, 'uai_conflict');
  t.equal(est.uai, '0990001N');
  t.same(r.warningsByCode, { UAI_CONFLICT: 1 });
  t.match(r.warnings[0]!.message, /910008 has UAI 0990001N, held by structure 910001/);
  t.equal(await count(h.db, 'structure', { uai: '0990001N' }), 1, 'still one school');
});
