import t from 'tap';
import { sql } from '@aaf-sync/db';
import { driverFor, findTarget, reconcileTarget } from '@aaf-sync/targets';
import { seedClassGroup, seedMembership, seedTeachingLink } from '@aaf-sync/testing';
import { exportScribeLdif, scribeDriver } from '../src/index.js';
import { box, replayAll, scribeWorld, UAI_A, type ScribeWorld } from './fixtures.js';

/** Two pupils of 5A in two MEFs, a head teacher of 5A teaching maths, another teaching English. */
async function seedLevels(w: ScribeWorld) {
  await sql`insert into mef (code, label, attributes, record_hash)
    values ('10110001110', '5EME', '{}', 'h1'), ('10010012110', '4EME', '{}', 'h2')`.execute(w.db);
  await sql`insert into subject (code, label, attributes, record_hash)
    values ('061300', 'MATHÉMATIQUES', '{}', 'h3'), ('030201', 'ANGLAIS LV1', '{}', 'h4')`.execute(
    w.db,
  );
  const fiveA = await seedClassGroup(w.db, { structure: 'S-A', kind: 'class', code: '5A' });
  const pupil = (jointure: string, login: string, mef: string | null, attachmentId: string) =>
    w.person({
      jointure,
      login,
      category: 'pupil',
      givenName: login,
      sn: 'Eleve',
      structures: ['S-A'],
      details: {
        schooling: { ...(mef ? { mef, mefLabel: 'LIBELLE DU FICHIER' } : {}), attachmentId },
      },
    });
  const ids = {
    lou: await pupil('E1', 'lou.eleve', '10110001110', '700101'),
    max: await pupil('E2', 'max.eleve', '10110001110', '700102'),
    // A MEF the nomenclature does not hold: the record's own label.
    ana: await pupil('E3', 'ana.eleve', '99999999999', '700103'),
    head: await w.person({
      jointure: 'T1',
      login: 'h.prof',
      category: 'staff',
      profile: 'teacher',
      givenName: 'Hélène',
      sn: 'Prof',
      structures: ['S-A'],
    }),
    other: await w.person({
      jointure: 'T2',
      login: 'o.prof',
      category: 'staff',
      profile: 'teacher',
      givenName: 'Omar',
      sn: 'Prof',
      structures: ['S-A'],
    }),
  };
  for (const j of ['E1', 'E2', 'E3']) await seedMembership(w.db, fiveA, j);
  await sql`update person set civility = case jointure when 'E1' then 'Mme' when 'T1' then 'Mme'
    else 'M.' end`.execute(w.db);
  await seedTeachingLink(w.db, {
    person: 'T1',
    structure: 'S-A',
    kind: 'class',
    code: '5A',
    subject: '061300',
  });
  await seedTeachingLink(w.db, {
    person: 'T2',
    structure: 'S-A',
    kind: 'class',
    code: '5A',
    subject: '030201',
  });
  await sql`insert into head_teacher (person_jointure, structure_jointure, class_code)
    values ('T1', 'S-A', '5A')`.execute(w.db);
  await sql`insert into provisioning (target_id, person_id, desired_version)
    select ${w.target.id}, id, 1 from person`.execute(w.db);
  return ids;
}

t.test('Niveau and Matiere groups, and the Scribe attributes of the profile', async (t) => {
  const w = await scribeWorld(t);
  await seedLevels(w);
  t.same(await w.sync(), { applied: 5, failed: 0, excluded: 0 });

  const lou = await w.read(w.userDn(UAI_A, 'eleves', 'lou.eleve'));
  t.match(lou, {
    meflcf: ['5eme'],
    entelevemef: ['10110001110'],
    entelevelibellemef: ['5EME'],
    employeenumber: ['700101'],
    intid: ['E1'],
    codecivilite: ['2'],
    divcod: ['5a'],
  });
  t.match(await w.read(w.userDn(UAI_A, 'eleves', 'ana.eleve')), {
    meflcf: ['libelle-du-fichier'],
    entelevelibellemef: ['LIBELLE DU FICHIER'],
    codecivilite: ['1'],
  });
  const level = await w.read(w.groupDn(UAI_A, '5eme'));
  t.match(level, { type: ['Niveau'], description: ['5EME'] }, 'one Niveau group per MEF');
  t.same([...(level?.memberuid ?? [])].sort(), ['lou.eleve', 'max.eleve']);
  t.match(await w.read(w.groupDn(UAI_A, 'libelle-du-fichier')), {
    type: ['Niveau'],
    memberuid: ['ana.eleve'],
  });
  t.match(await w.read(w.groupDn(UAI_A, '5a')), { type: ['Classe'], niveau: ['5eme'] });

  const head = await w.read(w.userDn(UAI_A, 'personnels', 'h.prof'));
  t.match(head, {
    typeadmin: ['2'],
    divcod: ['5a'],
    intid: ['T1'],
    codecivilite: ['2'],
    entauxensmatiereenseignetab: [`ou=${UAI_A},${w.base}$MATHÉMATIQUES`],
  });
  t.notOk(head?.employeenumber, 'employeeNumber is a pupil attribute');
  t.match(await w.read(w.userDn(UAI_A, 'personnels', 'o.prof')), { typeadmin: ['0'] });
  t.notOk((await w.read(w.userDn(UAI_A, 'personnels', 'o.prof')))?.divcod);
  t.match(await w.read(w.groupDn(UAI_A, 'mathematiques')), {
    type: ['Matiere'],
    description: ['MATHÉMATIQUES'],
    memberuid: ['h.prof'],
  });
  t.match(await w.read(w.groupDn(UAI_A, 'anglais-lv1')), {
    type: ['Matiere'],
    memberuid: ['o.prof'],
  });
  t.notOk(await w.read(w.groupDn(UAI_A, 'profs-mathematiques')), 'no team for a subject');

  // A teacher's employeeNumber set on the server is not ours: kept; the full reconcile is in sync.
  const otherDn = w.userDn(UAI_A, 'personnels', 'o.prof');
  await w.admin.modify(otherDn, [
    { operation: 'add', attribute: 'employeeNumber', values: ['STS-42'] },
  ]);
  const writes = { ...w.stats };
  await replayAll(w.db, w.target.id);
  await w.sync();
  t.same(w.stats, writes, 'a replay writes nothing');
  t.match(await w.read(otherDn), { employeenumber: ['STS-42'] });
  const report = await reconcileTarget(w.db, w.target, w.driver);
  t.match(report.totals, { inSync: 5, toUpdate: 0, toCreate: 0 });

  // Lou moves to 4EME and Hélène is no longer head teacher: groups and attributes follow.
  await sql`update person set details = jsonb_set(details, '{schooling,mef}', '"10010012110"')
    where jointure = 'E1'`.execute(w.db);
  await sql`delete from head_teacher where person_jointure = 'T1'`.execute(w.db);
  await replayAll(w.db, w.target.id);
  t.same((await w.sync()).failed, 0);
  t.match(await w.read(w.userDn(UAI_A, 'eleves', 'lou.eleve')), {
    meflcf: ['4eme'],
    entelevemef: ['10010012110'],
    entelevelibellemef: ['4EME'],
  });
  t.same((await w.read(w.groupDn(UAI_A, '5eme')))?.memberuid, ['max.eleve'], 'left 5EME');
  t.match(await w.read(w.groupDn(UAI_A, '4eme')), { type: ['Niveau'], memberuid: ['lou.eleve'] });
  const headNow = await w.read(w.userDn(UAI_A, 'personnels', 'h.prof'));
  t.match(headNow, { typeadmin: ['0'] });
  t.notOk(headNow?.divcod, 'no class in charge any more');
});

t.test('the export holds the Niveau and Matiere groups the driver would make', async (t) => {
  const w = await scribeWorld(t);
  await seedLevels(w);
  let ldif = '';
  await exportScribeLdif(w.db, w.target, (chunk) => {
    ldif += chunk;
  });
  const record = (dn: string) => ldif.split('\n\n').find((r) => r.startsWith(`dn: ${dn}\n`)) ?? '';
  t.match(
    record(w.groupDn(UAI_A, '5eme')),
    /type: Niveau\n[^]*memberUid: lou.eleve\nmemberUid: max.eleve/,
  );
  t.match(record(w.groupDn(UAI_A, '5a')), /niveau: 5eme/);
  t.match(record(w.groupDn(UAI_A, 'mathematiques')), /type: Matiere\n[^]*memberUid: h.prof/);
  t.match(record(w.userDn(UAI_A, 'eleves', 'lou.eleve')), /Meflcf: 5eme\n[^]*/);
  t.match(record(w.userDn(UAI_A, 'personnels', 'h.prof')), /typeadmin: 2/);
});

t.test('extraAttributes is data: a target maps its own names and constants', async (t) => {
  const w = await scribeWorld(t);
  await seedLevels(w);
  await sql`update target set options = options || ${JSON.stringify({
    profile: {
      extraAttributes: {
        pupil: { intid: 'schoolId', ENTEleveStatutEleve: '=SCOLAIRE' },
        teacher: {},
        staff: {},
        relative: {},
      },
      levelGroups: { from: 'code', prefix: 'niv-' },
    },
  })}::jsonb where id = ${w.target.id}`.execute(w.db);
  const { target, driver } = driverFor(
    { scribe: scribeDriver({ pool: { sleep: async () => undefined } }) },
    box,
    await findTarget(w.db, w.target.name),
    { db: w.db },
  );
  t.teardown(() => driver.close?.());
  w.target = target;
  w.driver = driver;
  t.same(await w.sync(), { applied: 5, failed: 0, excluded: 0 });
  const lou = await w.read(w.userDn(UAI_A, 'eleves', 'lou.eleve'));
  t.match(lou, { intid: ['700101'], entelevestatuteleve: ['SCOLAIRE'] });
  t.notOk(lou?.meflcf, 'not mapped: not written');
  t.notOk(lou?.employeenumber);
  t.match(await w.read(w.groupDn(UAI_A, 'niv-10110001110')), { type: ['Niveau'] });
  t.notOk((await w.read(w.userDn(UAI_A, 'personnels', 'h.prof')))?.typeadmin);
});
