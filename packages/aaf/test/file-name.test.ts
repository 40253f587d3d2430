import t from 'tap';
import { AafErrors, isAafXmlName, parseAafFileName } from '../src/index.js';

t.test('the usual forms', async (t) => {
  t.same(parseAafFileName('ENT_TEST_Complet_20240907_Eleve_0000.xml'), {
    name: 'ENT_TEST_Complet_20240907_Eleve_0000.xml',
    prefix: 'ENT_TEST',
    scope: 'TEST',
    kind: 'complete',
    date: '2024-09-07',
    entity: 'Eleve',
    chunk: 0,
  });
  const ng = parseAafFileName('ENT_Complet_20200101_Eleve_0000.xml');
  t.same([ng.prefix, ng.scope, ng.kind, ng.date], ['ENT', null, 'complete', '2020-01-01']);
  const full = parseAafFileName('FULL_ENTTSSERVICES_Complet_20130117_PersRelEleve_0003.xml');
  t.same(
    [full.prefix, full.scope, full.entity, full.chunk],
    ['FULL_ENTTSSERVICES', 'ENTTSSERVICES', 'PersRelEleve', 3],
  );
  const uai = parseAafFileName('ENT_0990001N_Delta_20240910_PersEducNat_0012.xml');
  t.same([uai.scope, uai.kind, uai.entity, uai.chunk], ['0990001N', 'delta', 'PersEducNat', 12]);
});

t.test('PersRelEleve is never taken for Eleve, nor the reverse', async (t) => {
  t.equal(
    parseAafFileName('ENT_TEST_Complet_20240907_PersRelEleve_0000.xml').entity,
    'PersRelEleve',
  );
  t.equal(parseAafFileName('ENT_TEST_Complet_20240907_Eleve_0000.xml').entity, 'Eleve');
  for (const entity of ['EtabEducNat', 'MatiereEducNat', 'MefEducNat', 'PersEducNat']) {
    t.equal(parseAafFileName(`ENT_X_Delta_20240910_${entity}_0001.xml`).entity, entity);
  }
});

t.test('folders are dropped, extension and tokens are case-insensitive', async (t) => {
  const f = parseAafFileName('/inbox/2d/ENT_TEST_complet_20240907_eleve_0001.XML');
  t.same(
    [f.name, f.kind, f.entity, f.chunk],
    ['ENT_TEST_complet_20240907_eleve_0001.XML', 'complete', 'Eleve', 1],
  );
  t.equal(parseAafFileName('dir\\ENT_TEST_DELTA_20240229_Eleve_0000.xml').date, '2024-02-29');
});

t.test('bad names throw AAF_ERR_BAD_FILE_NAME saying what is wrong', async (t) => {
  const cases: [string, RegExp][] = [
    ['ENT_TEST_Complet_20240907_Eleve_0000.txt', /extension must be \.xml/],
    ['ENT_TEST_Complet_20240230_Eleve_0000.xml', /date "20240230" is not a real YYYYMMDD date/],
    ['ENT_TEST_Complet_2024097_Eleve_0000.xml', /date "2024097"/],
    ['ENT_TEST_Complet_20240907_Parent_0000.xml', /unknown entity "Parent"/],
    ['ENT_TEST_Complet_20240907_Eleve_A.xml', /chunk "A" is not a number/],
    ['ENT_TEST_Complet_20240907_Eleve.xml', /after Complet, found 2 token\(s\)/],
    ['ENT_TEST_Full_20240907_Eleve_0000.xml', /no Complet or Delta token/],
    ['Complet_20240907_Eleve_0000.xml', /no prefix/],
    ['ficAlimMENESR.dtd', /extension must be \.xml/],
  ];
  for (const [name, reason] of cases) {
    let caught: unknown;
    try {
      parseAafFileName(name);
    } catch (err) {
      caught = err;
    }
    t.ok(AafErrors.BAD_FILE_NAME.is(caught), `${name}: AAF_ERR_BAD_FILE_NAME`);
    t.match((caught as Error).message, name, `${name}: the message names the file`);
    t.match((caught as Error).message, reason, `${name}: the message says why`);
    t.equal(isAafXmlName(name), false, `isAafXmlName(${name})`);
  }
  t.equal(isAafXmlName('ENT_TEST_Complet_20240907_Eleve_0000.xml'), true);
});
