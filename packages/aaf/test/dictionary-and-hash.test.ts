import t from 'tap';
import {
  ENTITY_ORDER,
  HTML_ENTITIES,
  knownAttributes,
  normalizeRecord,
  recordHash,
  unknownAttributes,
} from '../src/index.js';

t.test('known attributes per entity and level', async (t) => {
  const staff2d = knownAttributes('PersEducNat', '2d');
  for (const name of ['sn', 'ENTAuxEnsClassesMatieres', 'ENTPersonSTSId', 'ENTAuxEnsMEFDate']) {
    t.ok(staff2d.includes(name), `2D staff: ${name}`);
  }
  t.notOk(staff2d.includes('ENTPersonNom'), 'ENTPersonNom is 1D');
  const pupil1d = knownAttributes('Eleve', '1d');
  for (const name of ['ENTPersonNom', 'ENTPersonClasses', 'ENTEleveGarderieSoir']) {
    t.ok(pupil1d.includes(name), `1D pupil: ${name}`);
  }
  t.ok(
    knownAttributes('Eleve', '2d').includes('ENTElevePersRelEleve2'),
    'legacy attributes are known',
  );
  t.same(knownAttributes('MatiereEducNat', '2d'), [
    'ENTLibelleMatiere',
    'ENTMatJointure',
    'ENTMatiereRattach',
  ]);
  for (const entity of ENTITY_ORDER) t.ok(knownAttributes(entity, '1d').length > 0, entity);
});

t.test('an unknown attribute is kept raw, listed, and never fatal', async (t) => {
  const attributes = {
    sn: ['X'],
    givenName: ['Y'],
    ENTEleveNouveauChamp2026: ['42'],
    ENTPersonNom: ['X'],
  };
  t.same(unknownAttributes('Eleve', attributes), ['ENTEleveNouveauChamp2026']);
  const { record, rejects } = normalizeRecord('Eleve', '1', attributes);
  t.equal(record?.kind, 'person');
  t.same(rejects, []);
});

t.test('record hash: the same content in any order hashes the same', async (t) => {
  const a = recordHash({ sn: ['X'], ENTEleveClasses: ['1$5A', '1$5B'], mobile: [''] });
  const b = recordHash({ mobile: [''], ENTEleveClasses: ['1$5B', '1$5A', '1$5A'], sn: ['X'] });
  t.equal(a, b);
  t.match(a, /^[0-9a-f]{40}$/);
  t.not(recordHash({ sn: ['X'], ENTEleveClasses: ['1$5A'], mobile: [''] }), a, 'a value less');
  t.not(recordHash({ sn: ['X'], ENTEleveClasses: ['1$5A', '1$5B'] }), a, 'an empty value counts');
  t.not(
    recordHash({ sn: ['X', 'Y'] }),
    recordHash({ sn: ['X'], Y: [] }),
    'no ambiguity between names and values',
  );
  // stored in person.record_hash: the value of a content never changes
  t.equal(
    recordHash({ sn: ['X'], ENTEleveClasses: ['1$5A', '1$5B'], mobile: [''], empty: [] }),
    'c6521c9e7d3bc3e2ae4da8d0c1ae2151e1ec6b08',
  );
});

t.test('the HTML 4 entity table', async (t) => {
  t.equal(Object.keys(HTML_ENTITIES).length, 253, '252 HTML 4 names + apos');
  t.same(
    [
      'eacute',
      'Eacute',
      'nbsp',
      'oelig',
      'OElig',
      'euro',
      'yuml',
      'Yuml',
      'Omega',
      'sigmaf',
      'hearts',
      'rsquo',
    ].map((n) => HTML_ENTITIES[n]?.codePointAt(0)),
    [0xe9, 0xc9, 0xa0, 0x153, 0x152, 0x20ac, 0xff, 0x178, 0x3a9, 0x3c2, 0x2665, 0x2019],
  );
  t.equal(HTML_ENTITIES.constructor, undefined, 'no prototype');
});
