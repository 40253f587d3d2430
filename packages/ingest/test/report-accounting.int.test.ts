import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { FileReport, ImportReport } from '../src/index.js';
import { harness, variant } from './helpers.js';

/** The 2D complete with a rejected pupil, an unlinked relative and staff of no known school. */
const MIXED: readonly (readonly [string, string])[] = [
  // 9300102 loses its given name: rejected (MISSING_REQUIRED), named establishment 910001.
  ['<attr name="givenName"><value>HUGO</value></attr>', ''],
  // 9310203 (contact of 9300101) is no longer named by any pupil: no establishment.
  ['<value>9310203$38$0$0$1$0</value>', ''],
  // 9320303 (no attachment) has its only function in a structure absent from the files.
  ['910001$AED$', '910077$AED$'],
];

function addsUp(t: Test, report: ImportReport): void {
  for (const f of report.files) {
    const o = f.outcomes;
    t.equal(
      o.created + o.updated + o.restored + o.unchanged + o.departed + o.rejected + o.held,
      f.records,
      `${f.name}: every record accounted for (${JSON.stringify(o)})`,
    );
  }
}

const outcome = (f: FileReport) => {
  const { warnings: _w, ...o } = f.outcomes;
  return [f.entity, f.records, o] as const;
};

t.test('the report accounts for every record, per file and per establishment', async (t) => {
  const h = await harness(t);
  const r = (
    await h.ingest(
      variant(join(t.testdirName, 'c'), { from: '2d', pick: 'Complet', replace: MIXED }),
    )
  ).imports[0]!;
  t.equal(r.status, 'applied');
  addsUp(t, r);
  const zero = {
    created: 0,
    updated: 0,
    restored: 0,
    unchanged: 0,
    departed: 0,
    rejected: 0,
    held: 0,
  };
  t.same(r.files.map(outcome), [
    ['EtabEducNat', 1, { ...zero, created: 1 }],
    ['MatiereEducNat', 2, { ...zero, created: 2 }],
    ['MefEducNat', 1, { ...zero, created: 1 }],
    ['Eleve', 2, { ...zero, created: 1, rejected: 1 }],
    ['PersRelEleve', 3, { ...zero, created: 3 }],
    ['PersEducNat', 3, { ...zero, created: 3 }],
  ]);
  t.same(r.files[5]!.outcomes.warnings, { UNKNOWN_STRUCTURE: 1 }, 'warnings counted per file');
  t.same(r.references, {
    structures: { created: 1, updated: 0, unchanged: 0, rejected: 0, held: 0 },
    subjects: { created: 2, updated: 0, unchanged: 0, rejected: 0, held: 0 },
    mefs: { created: 1, updated: 0, unchanged: 0, rejected: 0, held: 0 },
  });
  const e = r.establishments[0]!;
  t.equal(r.establishments.length, 1);
  t.equal(e.created, 5, 'persons only: its own structure record is on the structures line');
  t.match(e.byCategory, {
    pupil: { created: 1, rejects: 1 },
    relative: { created: 2 },
    staff: { created: 2 },
  });
  t.match(r.noEstablishment, {
    created: 2,
    byCategory: { relative: { created: 1 }, staff: { created: 1 } },
  });
  t.equal(r.totals.created, 7, 'every person created is in a line');
  t.same(
    r.rejects.map((x) => [x.code, x.identifier, x.uai]),
    [['MISSING_REQUIRED', '9300102', '0990001N']],
    'a new record rejected is attributed to the establishment it names',
  );

  // The delta: an add, a modify of the rejected (unknown) pupil, a delete; a relative added and
  // one updated.
  const d = (await h.ingest(variant(join(t.testdirName, 'd'), { from: '2d', pick: 'Delta' })))
    .imports[0]!;
  addsUp(t, d);
  t.same(d.files.map(outcome), [
    ['Eleve', 3, { ...zero, created: 1, departed: 1, rejected: 1 }],
    ['PersRelEleve', 2, { ...zero, created: 1, updated: 1 }],
  ]);
  t.same(d.rejectsByCode, { UNKNOWN_ENTITY: 1 });
  t.equal(d.rejects[0]!.uai, '0990001N', 'the modify names its classes in 910001: listed there');
});

t.test(
  'a rejected relative is listed under the establishment of the pupils it names',
  async (t) => {
    const h = await harness(t);
    await h.ingest(variant(join(t.testdirName, 'c'), { from: '2d', pick: 'Complet' }));
    // A delta of relatives alone: no pupil of the delivery names them; both lack a name.
    const dir = variant(join(t.testdirName, 'd'), { from: '2d', pick: 'nothing' });
    const relative = (id: string, pupils: string) => `<addRequest>
<operationalAttributes><attr name="categoriePersonne"><value>PersRelEleve</value></attr></operationalAttributes>
<identifier><id>${id}</id></identifier>
<attributes>
<attr name="ENTPersonJointure"><value>${id}</value></attr>
<attr name="givenName"><value>ANNE</value></attr>
${pupils}
</attributes>
</addRequest>`;
    writeFileSync(
      join(dir, 'ENT_TEST_Delta_20240911_PersRelEleve_0000.xml'),
      `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">
<ficAlimMENESR>
${relative('9310299', '<attr name="ENTAuxPersRelEleveEleve"><value>9300102</value></attr>')}
${relative('9310298', '')}
</ficAlimMENESR>
`,
    );
    const d = (await h.ingest(dir)).imports[0]!;
    t.equal(d.status, 'applied');
    t.same(
      d.rejects.map((x) => [x.code, x.identifier, x.uai]),
      [
        ['MISSING_REQUIRED', '9310299', '0990001N'],
        ['MISSING_REQUIRED', '9310298', null],
      ],
      'its pupil is at 0990001N; the other names none',
    );
    t.match(d.establishments, [{ uai: '0990001N', byCategory: { relative: { rejects: 1 } } }]);
    t.match(d.noEstablishment, { byCategory: { relative: { rejects: 1 } } });
  },
);
