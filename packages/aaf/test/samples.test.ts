// Every product-owner sample reads and normalises (test/fixtures/aaf-samples/{1d,2d}).
import { createReadStream, readdirSync } from 'node:fs';
import t from 'tap';
import {
  NormalizedRecordSchema,
  normalizeRecord,
  parseAafFileName,
  unknownAttributes,
  type Level,
  type NormalizedRecord,
  type PersonRecord,
  type RawRecord,
} from '../src/index.js';
import { fixture, FIXTURES, readAll } from './helper.js';

/** Records per file, counted in the fixture files (requests of any kind). */
const EXPECTED: Record<string, number> = {
  '1d/ENT_TEST_Complet_20240907_EtabEducNat_0000.xml': 1,
  '1d/ENT_TEST_Complet_20240907_Eleve_0000.xml': 1,
  '1d/ENT_TEST_Complet_20240907_PersRelEleve_0000.xml': 2,
  '1d/ENT_TEST_Complet_20240907_PersEducNat_0000.xml': 1,
  '2d/ENT_TEST_Complet_20240907_EtabEducNat_0000.xml': 1,
  '2d/ENT_TEST_Complet_20240907_MatiereEducNat_0000.xml': 2,
  '2d/ENT_TEST_Complet_20240907_MefEducNat_0000.xml': 1,
  '2d/ENT_TEST_Complet_20240907_Eleve_0000.xml': 2,
  '2d/ENT_TEST_Complet_20240907_PersRelEleve_0000.xml': 3,
  '2d/ENT_TEST_Complet_20240907_PersEducNat_0000.xml': 3,
  '2d/ENT_TEST_Delta_20240910_Eleve_0000.xml': 3,
  '2d/ENT_TEST_Delta_20240910_PersRelEleve_0000.xml': 2,
};

async function readFixture(level: Level, name: string): Promise<RawRecord[]> {
  const { entity } = parseAafFileName(name);
  const { records, rejects } = await readAll(createReadStream(fixture(level, name)), {
    fileName: name,
    entity,
  });
  if (rejects.length > 0) throw new Error(`unexpected rejects in ${name}`);
  return records;
}

async function normalized(level: Level, name: string, id: string): Promise<NormalizedRecord> {
  const { entity } = parseAafFileName(name);
  const raw = (await readFixture(level, name)).find((r) => r.id === id);
  if (raw === undefined) throw new Error(`${id} not in ${name}`);
  const { record, rejects } = normalizeRecord(entity, raw.id, raw.attributes);
  if (record === null || rejects.length > 0) throw new Error(`${id}: ${JSON.stringify(rejects)}`);
  return record;
}

async function person(level: Level, name: string, id: string): Promise<PersonRecord> {
  const record = await normalized(level, name, id);
  if (record.kind !== 'person') throw new Error(`${id} is not a person`);
  return record;
}

t.test('every sample reads with the expected record count and no reject', async (t) => {
  const seen: string[] = [];
  for (const level of ['1d', '2d'] as const) {
    for (const name of readdirSync(`${FIXTURES}/${level}`).filter((n) => n.endsWith('.xml'))) {
      const key = `${level}/${name}`;
      seen.push(key);
      const { entity } = parseAafFileName(name);
      const result = await readAll(createReadStream(fixture(level, name)), {
        fileName: name,
        entity,
      });
      t.equal(result.records.length, EXPECTED[key], `${key}: records`);
      t.equal(result.rejects.length, 0, `${key}: no reject`);
      t.equal(result.summary.records, EXPECTED[key], `${key}: summary count`);
      t.equal(result.summary.encoding, 'utf-8', `${key}: encoding`);
      for (const raw of result.records.filter((r) => r.op === 'add')) {
        t.same(unknownAttributes(entity, raw.attributes), [], `${key} ${raw.id}: all known`);
        const { record, rejects } = normalizeRecord(entity, raw.id, raw.attributes);
        t.same(rejects, [], `${key} ${raw.id}: no normalisation reject`);
        t.ok(NormalizedRecordSchema.safeParse(record).success, `${key} ${raw.id}: output shape`);
        t.equal(record?.kind === 'person' ? record.level : level, level, `${key}: level detected`);
      }
    }
  }
  t.same(seen.sort(), Object.keys(EXPECTED).sort(), 'every sample is covered');
});

t.test('2D structure: name, UAI, declared classes, format version', async (t) => {
  const name = 'ENT_TEST_Complet_20240907_EtabEducNat_0000.xml';
  const result = await readAll(createReadStream(fixture('2d', name)), { fileName: name });
  t.equal(result.summary.formatVersion, 'AAF-VE2401');
  const s = await normalized('2d', name, '910001');
  if (s.kind !== 'structure') throw new Error('not a structure');
  t.equal(s.name, 'CLG - DES TILLEULS - VILLEBOIS');
  t.equal(s.uai, '0990001N');
  t.equal(s.academy, 'TEST');
  t.same(s.declaredClasses, [
    { code: '5A', label: '5EME A', mefs: ['10110001110'] },
    { code: '5B', label: '5EME B', mefs: ['10110001110'] },
  ]);
  t.same(s.declaredGroups, [{ code: '5LAT', label: 'LATIN 5E', classes: ['5A', '5B'] }]);
  t.equal(s.details?.admin?.ministry, "MINISTERE DE L'EDUCATION NATIONALE", '&apos; decoded');
});

t.test('nomenclatures: MatEducNat category accepted in a MatiereEducNat file', async (t) => {
  const subjects = await readFixture('2d', 'ENT_TEST_Complet_20240907_MatiereEducNat_0000.xml');
  t.same(
    subjects.map((r) => [r.categoryAttribute, r.category, r.id]),
    [
      ['categorieMatiere', 'MatEducNat', '061300'],
      ['categorieMatiere', 'MatEducNat', '030201'],
    ],
  );
  const mef = await normalized(
    '2d',
    'ENT_TEST_Complet_20240907_MefEducNat_0000.xml',
    '10110001110',
  );
  t.same(mef, {
    kind: 'mef',
    code: '10110001110',
    label: '5EME',
    attachment: '10110001110',
    stat11: '11110010001',
  });
});

t.test('2D pupil: classes, groups, relatives with their flags', async (t) => {
  const lea = await person('2d', 'ENT_TEST_Complet_20240907_Eleve_0000.xml', '9300101');
  t.equal(lea.givenName, 'LÉA', 'numeric character reference');
  t.equal(lea.birthDate, '2012-03-14');
  t.equal(lea.ine, '123456789AB');
  t.equal(lea.profile, 'pupil');
  t.same(lea.classes, [{ structure: '910001', code: '5A', label: '5A' }]);
  t.same(lea.groups, [{ structure: '910001', code: '5LAT', label: '5LAT' }]);
  // 9310201$10$1$1$1$0, 9310202$20$1$1$0$0, 9310203$38$0$0$1$0
  t.same(lea.relatives, [
    {
      jointure: '9310201',
      relationship: '10',
      financial: true,
      legal: 1,
      contact: true,
      payment: false,
    },
    {
      jointure: '9310202',
      relationship: '20',
      financial: true,
      legal: 1,
      contact: false,
      payment: false,
    },
    {
      jointure: '9310203',
      relationship: '38',
      financial: false,
      legal: 0,
      contact: true,
      payment: false,
    },
  ]);
  t.same(lea.structures, ['910001']);
  t.equal(lea.primaryStructure, '910001');
  t.same(lea.details.contact?.address, ['3 RUE DU MOULIN'], 'empty address lines dropped');
  t.equal(lea.details.schooling?.regime, "DEMI-PENSIONNAIRE DANS L'ETABLISSEMENT");
  t.same(lea.details.schooling?.subjectCodes, ['061300', '030201']);
  const hugo = await person('2d', 'ENT_TEST_Complet_20240907_Eleve_0000.xml', '9300102');
  t.same(hugo.groups, [], 'an empty <value/> is no group');
  t.equal(hugo.details.schooling?.transport, true);
});

t.test('2D relative: pupils, no structure, contact details', async (t) => {
  const sophie = await person('2d', 'ENT_TEST_Complet_20240907_PersRelEleve_0000.xml', '9310201');
  t.equal(sophie.profile, 'relative');
  t.same(sophie.pupils, ['9300101', '9300102']);
  t.same(sophie.structures, []);
  t.equal(sophie.primaryStructure, null);
  t.equal(sophie.birthDate, null, 'an empty birth date is no date (and no reject)');
  t.same(sophie.details.contact?.mobiles, ['0600000010']);
  t.equal(sophie.details.contact?.addressConsent, false);
  const monique = await person('2d', 'ENT_TEST_Complet_20240907_PersRelEleve_0000.xml', '9310203');
  t.same(monique.details.contact?.address, ['8 CHEMIN DES VIGNES', 'LIEU-DIT LE HAUT']);
});

t.test('2D teacher: profile, functions, teaching links, head teacher', async (t) => {
  const camille = await person('2d', 'ENT_TEST_Complet_20240907_PersEducNat_0000.xml', '9320301');
  t.equal(camille.profile, 'teacher');
  t.same(camille.functions, [
    {
      structure: '910001',
      code: 'ENS',
      label: 'ENSEIGNEMENT',
      disciplineCode: 'L1300',
      disciplineLabel: 'MATHEMATIQUES',
    },
  ]);
  // ENTAuxEnsClasses 5A/5B are covered by the subject links of the same classes.
  t.same(camille.teaching, [
    { structure: '910001', kind: 'class', code: '5A', subject: '061300' },
    { structure: '910001', kind: 'class', code: '5B', subject: '061300' },
  ]);
  t.same(camille.headTeacher, [{ structure: '910001', code: '5A' }]);
  t.same(camille.details.staff?.mefs, [
    { structure: '910001', code: '10110001110', label: '5EME' },
  ]);
  t.same(camille.details.staff?.postDisciplines, [{ code: '13', label: 'MATHEMATIQUES' }]);
});

t.test('2D staff: direction, and structure derived from functions', async (t) => {
  const file = 'ENT_TEST_Complet_20240907_PersEducNat_0000.xml';
  const bruno = await person('2d', file, '9320302');
  t.equal(bruno.profile, 'staff', 'DIR with no presence in front of pupils');
  t.same(bruno.direction, ['910001']);
  t.equal(bruno.functions[0]?.disciplineLabel, "DIRECTION CHEF D'ETABLISSEMENT");
  const thomas = await person('2d', file, '9320303');
  t.equal(thomas.profile, 'staff');
  t.equal(
    thomas.primaryStructure,
    '910001',
    'empty ENTPersonStructRattach: from ENTPersonFonctions',
  );
  t.same(thomas.structures, ['910001']);
  t.equal(thomas.mail, null);
});

t.test('1D pupil: class id and label, parental authority, services', async (t) => {
  const chloe = await person('1d', 'ENT_TEST_Complet_20240907_Eleve_0000.xml', '9400101');
  t.equal(chloe.level, '1d');
  t.equal(chloe.sn, 'DUBOIS', 'ENTPersonNom');
  t.equal(chloe.givenName, 'CHLOÉ', 'ENTPersonPrenom');
  t.equal(chloe.civility, 'Mme', 'ENTPersonCivilite');
  // 920001$CLASSE$CM1$C0101$CM1 B: field 3 is the stable id, field 4 the label
  t.same(chloe.classes, [{ structure: '920001', code: 'C0101', label: 'CM1 B' }]);
  t.same(
    chloe.relatives.map((r) => [r.jointure, r.relationship, r.legal, r.financial]),
    [
      ['9410201', '10', 1, null],
      ['9410202', '20', 1, null],
    ],
  );
  t.same(chloe.details.schooling?.services, {
    canteen: true,
    morningCare: false,
    eveningCare: true,
    supervisedStudy: false,
  });
  t.equal(chloe.details.schooling?.cycle, 'CYCLE III');
});

t.test('1D staff, relative and structure', async (t) => {
  const julie = await person('1d', 'ENT_TEST_Complet_20240907_PersEducNat_0000.xml', '9420301');
  t.equal(julie.profile, 'teacher', 'ENTPersonCategorieEnseignant O');
  t.same(julie.direction, ['920001']);
  t.same(
    julie.functions.map((f) => [f.code, f.disciplineCode]),
    [['ENS', '']],
    'discipline "-" is a placeholder',
  );
  t.equal(julie.mail, 'julie.perrin@example.invalid', 'ENTPersonMail');
  const amelie = await person('1d', 'ENT_TEST_Complet_20240907_PersRelEleve_0000.xml', '9410201');
  t.same(amelie.pupils, ['9400101'], 'ENTPersRelEleveEleve');
  t.equal(amelie.details.contact?.homePhone, '0100000050');
  t.same(amelie.details.contact?.mobiles, ['0600000050']);
  const school = await normalized('1d', 'ENT_TEST_Complet_20240907_EtabEducNat_0000.xml', '920001');
  if (school.kind !== 'structure') throw new Error('not a structure');
  t.equal(school.level, '1d');
  t.equal(school.name, 'E.E.PU - LES COQUELICOTS - VILLEBOIS');
  t.same(school.details?.contact?.address, ['1 PLACE DE LA MAIRIE']);
  t.equal(school.details?.admin?.district, 'VILLEBOIS NORD');
});

t.test('2D delta: add, modify (listed attributes only), delete', async (t) => {
  const records = await readFixture('2d', 'ENT_TEST_Delta_20240910_Eleve_0000.xml');
  t.same(
    records.map((r) => [r.op, r.id, r.category]),
    [
      ['add', '9300103', 'Eleve'],
      ['modify', '9300102', 'Eleve'],
      ['delete', '9300101', 'Eleve'],
    ],
  );
  t.same(records[1]?.attributes, {
    ENTEleveClasses: ['910001$5A'],
    ENTEleveGroupes: ['910001$5LAT'],
  });
  t.same(records[2]?.attributes, {});
  t.equal(records[1]?.line, 24, 'line of the <modifyRequest> start tag (grep -n)');
  const yanis = await person('2d', 'ENT_TEST_Delta_20240910_Eleve_0000.xml', '9300103');
  t.same(yanis.relatives[0], {
    jointure: '9310204',
    relationship: '20',
    financial: true,
    legal: 1,
    contact: true,
    payment: false,
  });
  const relatives = await readFixture('2d', 'ENT_TEST_Delta_20240910_PersRelEleve_0000.xml');
  t.same(relatives[1]?.attributes, { telephoneNumber: ['0100000099'] });
});
