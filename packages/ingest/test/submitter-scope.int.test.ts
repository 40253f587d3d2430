import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from '@aaf-sync/db';
import t from 'tap';
import { ingestPaths, type SubmitterScope } from '../src/index.js';
import { count, harness, SECOND_SCHOOL, variant, type Harness } from './helpers.js';

type Tap = Parameters<typeof harness>[0] & { readonly testdirName: string };

/** School 1: structure 910001, UAI 0990001N. School 2 (foreign): 910002, UAI 0990002P. */
const OWN: SubmitterScope = { uais: ['0990001N'] };
const ACTOR = 'key:k-own';

/** Both schools imported by an academy-wide operator. */
async function twoSchools(t: Tap): Promise<Harness> {
  const h = await harness(t);
  await h.ingest(variant(join(t.testdirName, 'school1'), { from: '2d', pick: 'Complet' }));
  await h.ingest(
    variant(join(t.testdirName, 'school2'), {
      from: '2d',
      pick: 'Complet',
      replace: SECOND_SCHOOL,
    }),
  );
  return h;
}

function scoped(h: Harness, dir: string, options: { dryRun?: boolean } = {}) {
  return ingestPaths(h.deps, [dir], { source: 'test', actor: ACTOR, scope: OWN, ...options });
}

/** What an import could change about the persons of a school: one line per person. */
async function snapshot(h: Harness, prefix: string): Promise<string[]> {
  const { rows } = await sql<{ line: string }>`
    select p.jointure || ' ' || p.state || ' ' || p.sn || ' v' || p.version || ' ' || p.record_hash
      || ' ' || coalesce((select string_agg(c.code, ',' order by c.code) from membership m
                 join class_group c on c.id = m.class_group_id where m.person_jointure = p.jointure), '')
      || ' ' || coalesce((select string_agg(rl.relative_jointure, ',' order by rl.relative_jointure)
                 from relative_link rl where rl.pupil_jointure = p.jointure), '') as line
    from person p where p.jointure like ${prefix + '%'} order by p.jointure`.execute(h.db);
  return rows.map((r) => r.line);
}

/** A delta file written by hand: `records` are addRequest/modifyRequest/deleteRequest elements. */
function deltaFile(dir: string, entity: string, records: string, chunk = 0): void {
  const name = `ENT_TEST_Delta_20240911_${entity}_${String(chunk).padStart(4, '0')}.xml`;
  writeFileSync(
    join(dir, name),
    `<?xml version="1.0" encoding="UTF-8"?>\n<ficAlimMENESR>\n${records}\n</ficAlimMENESR>\n`,
  );
}

function modify(category: string, id: string, changes: Record<string, string[]>): string {
  const mods = Object.entries(changes)
    .map(
      ([name, values]) =>
        `<modification name="${name}" operation="replace">${values.map((v) => `<value>${v}</value>`).join('')}</modification>`,
    )
    .join('\n');
  return `<modifyRequest>
<operationalAttributes><attr name="categoriePersonne"><value>${category}</value></attr></operationalAttributes>
<identifier><id>${id}</id></identifier>
<modifications>
${mods}
</modifications>
</modifyRequest>`;
}

t.test('a scoped delta applies its own records and rejects the foreign ones', async (t) => {
  const h = await twoSchools(t);
  const foreignBefore = await snapshot(h, '94');
  const dir = variant(join(t.testdirName, 'delta'), { from: '2d', pick: 'Delta', chunk: 0 });
  variant(dir, { from: '2d', pick: 'Delta', chunk: 1, replace: SECOND_SCHOOL });
  const { imports } = await scoped(h, dir);
  const r = imports[0]!;

  t.equal(r.status, 'applied');
  t.same(
    r.establishments.map((e) => e.uai),
    ['0990001N'],
    'the report lists only the own establishment',
  );
  t.equal(r.rejectsByCode.OUT_OF_SCOPE, 5, 'every foreign record is refused');
  t.same(Object.keys(r.rejectsByCode), ['OUT_OF_SCOPE']);
  t.same(
    r.rejects.map((x) => x.identifier).sort(),
    ['9400101', '9400102', '9400103', '9410202', '9410204'],
    'including the deleteRequest of a foreign pupil and the foreign relatives',
  );
  const created = r.rejects.find((x) => x.identifier === '9400103')!;
  t.equal(created.uai, '0990002P', 'a reject names the UAI the record sent');
  t.equal(
    r.rejects.find((x) => x.identifier === '9400102')!.uai,
    null,
    'a modifyRequest naming no establishment is not attributed from the directory',
  );
  t.notMatch(
    r.rejects.map((x) => x.message).join('\n'),
    /0990002P|910002/,
    'messages name nothing of the foreign school',
  );

  t.same(await snapshot(h, '94'), foreignBefore, 'foreign persons unchanged (state, names, links)');
  t.equal(await count(h.db, 'person', { jointure: '9400103' }), 0, 'no foreign pupil created');
  const { rows: foreignEvents } = await sql<{ n: number }>`
    select count(*)::int as n from change_event
    where import_id = ${r.importId} and (entity_key like '%94%' or '0990002P' = any(uais))`.execute(
    h.db,
  );
  t.equal(foreignEvents[0]!.n, 0, 'no event about the foreign school');

  const own = await h.db
    .selectFrom('person')
    .select(['jointure', 'state'])
    .where('jointure', 'in', ['9300101', '9300103', '9310204'])
    .orderBy('jointure')
    .execute();
  t.same(own, [
    { jointure: '9300101', state: 'departed' },
    { jointure: '9300103', state: 'active' },
    { jointure: '9310204', state: 'active' },
  ]);

  const run = await h.db
    .selectFrom('import_run')
    .select(['submitted_by', 'submitter_uais', 'uais_touched'])
    .where('id', '=', r.importId)
    .executeTakeFirstOrThrow();
  t.same(run, { submitted_by: ACTOR, submitter_uais: ['0990001N'], uais_touched: ['0990001N'] });
  const audit = await h.db
    .selectFrom('audit_log')
    .select(['actor', 'key_id', 'action', 'uais', 'details'])
    .execute();
  t.equal(audit.length, 1, 'one audit row for the applied import');
  t.match(audit[0], {
    actor: ACTOR,
    key_id: 'k-own',
    action: 'imports.apply',
    uais: ['0990001N'],
    details: { importId: r.importId, status: 'applied' },
  });
});

t.test(
  'a pupil moving in from a foreign school and a shared teacher are out of scope',
  async (t) => {
    const h = await twoSchools(t);
    const before = [...(await snapshot(h, '94')), ...(await snapshot(h, '9320302'))];
    const dir = t.testdir();
    deltaFile(
      dir,
      'Eleve',
      [
        modify('Eleve', '9400102', {
          ENTPersonStructRattach: ['910001'],
          ENTEleveClasses: ['910001$5B'],
        }),
        // an own record without names: its reject belongs to no establishment, the submitter sees it
        `<addRequest>
<operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes>
<identifier><id>9300199</id></identifier>
<attributes><attr name="ENTPersonJointure"><value>9300199</value></attr><attr name="ENTPersonStructRattach"><value>910001</value></attr></attributes>
</addRequest>`,
      ].join('\n'),
    );
    deltaFile(
      dir,
      'PersEducNat',
      [
        modify('PersEducNat', '9320302', {
          ENTPersonFonctions: ['910001$DIR$DIRECTION$L0000$X', '910002$DIR$DIRECTION$L0000$X'],
        }),
        modify('PersEducNat', '9320303', { sn: ['RENAMED'] }),
        modify('PersEducNat', '9999999', { sn: ['NOBODY'] }),
      ].join('\n'),
    );
    deltaFile(
      dir,
      'EtabEducNat',
      `<modifyRequest>
<operationalAttributes><attr name="categorieStructure"><value>EtabEducNat</value></attr></operationalAttributes>
<identifier><id>910002</id></identifier>
<modifications><modification name="ENTStructureUAI" operation="replace"><value>0990001N</value></modification></modifications>
</modifyRequest>`,
    );
    deltaFile(
      dir,
      'MatiereEducNat',
      `<addRequest>
<operationalAttributes><attr name="categorieMatiere"><value>MatEducNat</value></attr></operationalAttributes>
<identifier><id>099999</id></identifier>
<attributes><attr name="ENTMatJointure"><value>099999</value></attr><attr name="ENTLibelleMatiere"><value>NEW SUBJECT</value></attr></attributes>
</addRequest>`,
    );
    const { imports } = await scoped(h, dir);
    const r = imports[0]!;
    t.same(
      r.rejects.map((x) => `${x.code} ${x.identifier}`).sort(),
      [
        'MISSING_REQUIRED 9300199',
        'OUT_OF_SCOPE 099999',
        'OUT_OF_SCOPE 910002',
        'OUT_OF_SCOPE 9320302',
        'OUT_OF_SCOPE 9400102',
        'OUT_OF_SCOPE 9999999',
      ],
      'the move, a shared teacher, a foreign structure, the nomenclature, an unknown id: refused',
    );
    t.same(
      [...(await snapshot(h, '94')), ...(await snapshot(h, '9320302'))],
      before,
      'the foreign pupil and the teacher are unchanged',
    );
    const renamed = await h.db
      .selectFrom('person')
      .select('sn')
      .where('jointure', '=', '9320303')
      .executeTakeFirstOrThrow();
    t.equal(renamed.sn, 'RENAMED', 'the own staff record is applied');
    const structure = await h.db
      .selectFrom('structure')
      .select('uai')
      .where('jointure', '=', '910002')
      .executeTakeFirstOrThrow();
    t.equal(structure.uai, '0990002P', 'the foreign structure keeps its UAI');
    t.equal(await count(h.db, 'subject', { code: '099999' }), 0, 'no subject created');
  },
);

t.test('a file a scoped key applied is no duplicate for an academy-wide import', async (t) => {
  const h = await twoSchools(t);
  const foreignBefore = await snapshot(h, '94');
  const dir = variant(join(t.testdirName, 'delta'), { from: '2d', pick: 'Delta', chunk: 0 });
  variant(dir, { from: '2d', pick: 'Delta', chunk: 1, replace: SECOND_SCHOOL });
  const first = (await scoped(h, dir)).imports[0]!;
  t.equal(first.rejectsByCode.OUT_OF_SCOPE, 5, 'the scoped key applied its own records only');
  t.same(await snapshot(h, '94'), foreignBefore);
  // The académie then delivers the same files (the inbox): the foreign records must apply.
  const again = (await ingestPaths(h.deps, [dir], { source: 'test' })).imports[0]!;
  t.not(again.status, 'duplicate', 'the files are planned again');
  t.notSame(await snapshot(h, '94'), foreignBefore, 'the foreign records are applied now');
  t.equal(await count(h.db, 'person', { jointure: '9400103' }), 1, 'the foreign pupil created');
  // Sent once more academy-wide, it is a duplicate as before.
  const third = (await ingestPaths(h.deps, [dir], { source: 'test' })).imports[0]!;
  t.equal(third.status, 'duplicate');
});

t.test('a scoped submitter cannot import a complete', async (t) => {
  const h = await harness(t);
  const dir = variant(t.testdir(), { from: '2d', pick: 'Complet' });
  await t.rejects(scoped(h, dir), {
    code: 'INGEST_ERR_COMPLETE_NOT_ALLOWED',
    status: 403,
    retryable: false,
  });
  t.equal(await count(h.db, 'import_run'), 0, 'refused before anything is planned or recorded');
  t.equal(await count(h.db, 'person'), 0);
});

t.test('a scoped dry run reports only its own establishments', async (t) => {
  const h = await twoSchools(t);
  const dir = variant(join(t.testdirName, 'delta'), { from: '2d', pick: 'Delta', chunk: 0 });
  variant(dir, { from: '2d', pick: 'Delta', chunk: 1, replace: SECOND_SCHOOL });
  const { imports } = await scoped(h, dir, { dryRun: true });
  const r = imports[0]!;
  t.equal(r.status, 'dry_run');
  t.same(
    r.establishments.map((e) => e.uai),
    ['0990001N'],
  );
  t.equal(r.totals.created, 2, 'own pupil and relative would be created');
  t.equal(r.rejectsByCode.OUT_OF_SCOPE, 5);
  t.equal(
    (await count(h.db, 'import_plan_item', { import_id: r.importId })) > 0,
    true,
    'the own plan is kept for review',
  );
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from import_plan_item
    where import_id = ${r.importId} and key like '94%'`.execute(h.db);
  t.equal(rows[0]!.n, 0, 'nothing foreign is planned');
  t.equal(await count(h.db, 'audit_log'), 0, 'a dry run changes nothing: no audit row');
});

t.test('an import whose every file failed ends failed', async (t) => {
  const h = await harness(t);
  const dir = variant(t.testdir(), { from: '2d', pick: 'Delta' });
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.xml')))
    writeFileSync(join(dir, name), 'not xml at all\n');
  const { imports } = await h.ingest(dir);
  const r = imports[0]!;
  t.equal(r.status, 'failed');
  t.match(r.error, { code: 'INGEST_ERR_FILES_FAILED' });
  t.ok(r.files.every((f) => f.status === 'failed'));
  const run = await h.db
    .selectFrom('import_run')
    .select(['status', 'finished_at'])
    .where('id', '=', r.importId)
    .executeTakeFirstOrThrow();
  t.equal(run.status, 'failed');
  t.ok(run.finished_at);
});

t.test(
  'a relative shared with a foreign pupil is out of scope; one of own pupils is not',
  async (t) => {
    const h = await twoSchools(t);
    // The operator links relative 9310202 (of school 1) to a pupil of school 2 too.
    const shared = join(t.testdirName, 'shared');
    mkdirSync(shared, { recursive: true });
    deltaFile(
      shared,
      'Eleve',
      modify('Eleve', '9400102', {
        ENTElevePersRelEleve: ['9410201$10$1$1$0$0', '9410202$20$1$1$0$0', '9310202$20$1$1$0$0'],
      }),
    );
    await h.ingest(shared);
    const dir = join(t.testdirName, 'relatives');
    mkdirSync(dir, { recursive: true });
    deltaFile(
      dir,
      'PersRelEleve',
      [
        modify('PersRelEleve', '9310202', { telephoneNumber: ['0100000001'] }),
        modify('PersRelEleve', '9310201', { telephoneNumber: ['0100000002'] }),
      ].join('\n'),
      1,
    );
    const r = (await scoped(h, dir)).imports[0]!;
    t.same(
      r.rejects.map((x) => `${x.code} ${x.identifier}`),
      ['OUT_OF_SCOPE 9310202'],
    );
    t.equal(r.totals.updated, 1, 'the relative of own pupils only is updated');
    const { rows } = await sql<{ jointure: string; n: number }>`
    select p.jointure, (select count(*)::int from change_event e
      where e.import_id = ${r.importId} and e.entity_key = p.jointure) as n
    from person p where p.jointure in ('9310201', '9310202') order by 1`.execute(h.db);
    t.same(rows, [
      { jointure: '9310201', n: 1 },
      { jointure: '9310202', n: 0 },
    ]);
  },
);
