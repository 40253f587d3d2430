// Record-level quirks: each one rejects (or fixes) one request and the reader goes on.
import t from 'tap';
import { aafDocument, addRequest, bytesStream, readAll } from './helper.js';

const ok = (id: string): string => addRequest(id, { sn: ['X'], givenName: ['Y'] });

t.test(
  'values: duplicates removed (first order), empty values kept, attributes merged',
  async (t) => {
    const body =
      '<addRequest><operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes>' +
      '<identifier><id> 42 </id></identifier><attributes>' +
      '<attr name="ENTAuxEnsClasses"><value>1$5A</value><value>1$5B</value><value>1$5A</value><value>1$5B</value></attr>' +
      '<attr name="mobile"><value/><value></value></attr>' +
      '<attr name="ENTAuxEnsClasses"><value>1$5C</value><value>1$5A</value></attr>' +
      '</attributes></addRequest>\n';
    const { records } = await readAll(bytesStream(aafDocument(body)));
    t.equal(records[0]?.id, '42', 'the id is trimmed');
    t.same(records[0]?.attributes, {
      ENTAuxEnsClasses: ['1$5A', '1$5B', '1$5C'],
      mobile: [''],
    });
    t.equal(records[0]?.category, 'Eleve');
    t.equal(records[0]?.categoryAttribute, 'categoriePersonne');
  },
);

t.test('modify with an operation other than replace: UNSUPPORTED_OPERATION', async (t) => {
  const modify = (id: string, operation: string): string =>
    '<modifyRequest>\n<operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes>\n' +
    `<identifier><id>${id}</id></identifier>\n<modifications>\n` +
    `<modification name="sn" ${operation}><value>NEW</value></modification>\n</modifications>\n</modifyRequest>\n`;
  const text = aafDocument(
    modify('1', 'operation="add"') + modify('2', '') + modify('3', 'operation="replace"'),
  );
  const { records, rejects } = await readAll(bytesStream(text), { entity: 'Eleve' });
  t.same(
    rejects.map((r) => [r.id, r.reject.code, r.line]),
    [
      ['1', 'UNSUPPORTED_OPERATION', 4],
      ['2', 'UNSUPPORTED_OPERATION', 11],
    ],
  );
  t.match(rejects[0]?.reject.message, /operation "add" is not supported/);
  t.match(rejects[0]?.raw, /^<modifyRequest>\n[\s\S]*operation="add"[\s\S]*<\/modifyRequest>$/);
  t.same(
    records.map((r) => [r.op, r.id, r.attributes]),
    [['modify', '3', { sn: ['NEW'] }]],
  );
});

t.test('missing identifier: MISSING_IDENTIFIER', async (t) => {
  const noIdentifier =
    '<addRequest><operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes>' +
    '<attributes><attr name="sn"><value>X</value></attr></attributes></addRequest>\n';
  const text = aafDocument(noIdentifier + ok('') + ok('3'));
  const { records, rejects } = await readAll(bytesStream(text));
  t.same(
    rejects.map((r) => [r.id, r.reject.code]),
    [
      [null, 'MISSING_IDENTIFIER'],
      [null, 'MISSING_IDENTIFIER'],
    ],
  );
  t.same(
    records.map((r) => r.id),
    ['3'],
  );
});

t.test('the same id twice in one file: the later one is DUPLICATE_RECORD', async (t) => {
  const text = aafDocument(
    ok('9300101') + ok('061300') + ok('9300101') + ok('061300') + ok('61300'),
  );
  const { records, rejects, summary } = await readAll(bytesStream(text));
  t.same(
    records.map((r) => r.id),
    ['9300101', '061300', '61300'],
    '061300 and 61300 differ',
  );
  t.same(
    rejects.map((r) => [r.id, r.reject.code]),
    [
      ['9300101', 'DUPLICATE_RECORD'],
      ['061300', 'DUPLICATE_RECORD'],
    ],
  );
  t.same([summary.records, summary.rejects], [3, 2]);
});

t.test('category not matching the file entity: CATEGORY_MISMATCH', async (t) => {
  const text = aafDocument(
    addRequest('1', { sn: ['X'] }, 'PersEducNat') +
      addRequest('2', { sn: ['X'] }, 'Eleve', 'categorieStructure') +
      addRequest('3', { sn: ['X'] }, 'Eleve'),
  );
  const { records, rejects } = await readAll(bytesStream(text), { entity: 'Eleve' });
  t.same(
    rejects.map((r) => [r.id, r.reject.code]),
    [
      ['1', 'CATEGORY_MISMATCH'],
      ['2', 'CATEGORY_MISMATCH'],
    ],
  );
  t.same(
    records.map((r) => r.id),
    ['3'],
  );
  const anyEntity = await readAll(bytesStream(text));
  t.equal(anyEntity.records.length, 3, 'no check without options.entity');
  const variants =
    addRequest('1', { ENTLibelleMatiere: ['X'] }, 'MatEducNat', 'categorieMatiere') +
    addRequest('2', { ENTLibelleMatiere: ['X'] }, 'Matiere', 'categorieMatiere');
  const subjects = await readAll(bytesStream(aafDocument(variants)), { entity: 'MatiereEducNat' });
  t.equal(subjects.records.length, 2, 'MatEducNat and Matiere are subjects');
  const mefs = await readAll(
    bytesStream(aafDocument(addRequest('1', { ENTLibelleMef: ['X'] }, 'Mef', 'categorieMef'))),
    { entity: 'MefEducNat' },
  );
  t.equal(mefs.records.length, 1, 'Mef is a MEF');
});

t.test('misplaced or unknown elements: MALFORMED_RECORD, with the raw XML', async (t) => {
  const bad = [
    // unknown element in attributes
    '<addRequest><identifier><id>1</id></identifier><attributes><foo/></attributes></addRequest>',
    // modifications in an addRequest
    '<addRequest><identifier><id>2</id></identifier><modifications><modification name="sn" operation="replace"><value>X</value></modification></modifications></addRequest>',
    // attr without name
    '<addRequest><identifier><id>3</id></identifier><attributes><attr><value>X</value></attr></attributes></addRequest>',
    // nested element in a value
    '<addRequest><identifier><id>4</id></identifier><attributes><attr name="sn"><value><b>X</b></value></attr></attributes></addRequest>',
    // text in a structural element
    '<deleteRequest><identifier>oops<id>5</id></identifier></deleteRequest>',
    // an unknown request at the root
    '<renameRequest><identifier><id>6</id></identifier></renameRequest>',
    // add without attributes
    '<addRequest><identifier><id>7</id></identifier></addRequest>',
  ];
  const text = aafDocument(`${bad.join('\n')}\nstray text\n${ok('8')}`);
  const { records, rejects } = await readAll(bytesStream(text, 16));
  t.same(
    rejects.map((r) => [r.id, r.reject.code]),
    [
      ['1', 'MALFORMED_RECORD'],
      ['2', 'MALFORMED_RECORD'],
      ['3', 'MALFORMED_RECORD'],
      ['4', 'MALFORMED_RECORD'],
      ['5', 'MALFORMED_RECORD'],
      [null, 'MALFORMED_RECORD'],
      ['7', 'MALFORMED_RECORD'],
      [null, 'MALFORMED_RECORD'],
    ],
  );
  for (let i = 0; i < bad.length; i++) t.equal(rejects[i]?.raw, bad[i], `raw of reject ${i + 1}`);
  t.equal(rejects[7]?.raw, 'stray text');
  t.match(rejects[0]?.reject.message, /unexpected <foo> in <attributes>/);
  t.same(
    records.map((r) => r.id),
    ['8'],
    'the reader goes on',
  );
});

t.test('CRLF and LF give the same records; raw keeps the CRLF', async (t) => {
  const lf = aafDocument(ok('1') + addRequest('2', { sn: ['X'] }, 'Bad'));
  const crlf = lf.replaceAll('\n', '\r\n');
  const a = await readAll(bytesStream(lf), { entity: 'Eleve' });
  const b = await readAll(bytesStream(crlf, 1), { entity: 'Eleve' });
  t.same(b.records, a.records);
  t.equal(b.rejects[0]?.raw, a.rejects[0]?.raw.replaceAll('\n', '\r\n'));
  t.equal(b.rejects[0]?.line, a.rejects[0]?.line);
});

t.test('empty root, version comment, delete requests', async (t) => {
  for (const text of ['<ficAlimMENESR></ficAlimMENESR>', '<ficAlimMENESR/>', aafDocument('')]) {
    const { items, summary } = await readAll(bytesStream(text));
    t.same([items.length, summary.records, summary.rejects], [0, 0, 0], JSON.stringify(text));
  }
  const text = aafDocument(
    '<!-- versionAF="AAF-VE1301" -->\n<deleteRequest><operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes><identifier><id>9</id></identifier></deleteRequest>\n',
  );
  const { records, summary } = await readAll(bytesStream(text));
  t.equal(summary.formatVersion, 'AAF-VE1301');
  t.same(records, [
    {
      op: 'delete',
      categoryAttribute: 'categoriePersonne',
      category: 'Eleve',
      id: '9',
      attributes: {},
      line: 5,
    },
  ]);
});

t.test('a very large request is refused without keeping it', async (t) => {
  const big = 'x'.repeat(1024 * 1024);
  const values = Array.from({ length: 5 }, (_, i) => `${i}${big}`);
  const text = aafDocument(addRequest('1', { sn: values }) + ok('2'));
  const { records, rejects } = await readAll(bytesStream(text));
  t.same(
    rejects.map((r) => r.reject.code),
    ['MALFORMED_RECORD'],
  );
  t.match(rejects[0]?.reject.message, /record larger than/);
  t.ok((rejects[0]?.raw.length ?? Infinity) < 70 * 1024, 'the raw XML is capped');
  t.match(rejects[0]?.raw, /…\[truncated\]$/);
  t.same(
    records.map((r) => r.id),
    ['2'],
  );
});

t.test('attribute names that are Object.prototype members are plain keys', async (t) => {
  const text = aafDocument(
    addRequest('1', { ['__proto__']: ['A'], constructor: ['B'], toString: ['C'], sn: ['X'] }),
  );
  const { records } = await readAll(bytesStream(text));
  const attributes = records[0]!.attributes;
  t.same(Object.keys(attributes).sort(), ['__proto__', 'constructor', 'sn', 'toString']);
  t.same(Object.getOwnPropertyDescriptor(attributes, '__proto__')?.value, ['A']);
  t.same(attributes.constructor, ['B']);
  t.equal(Object.getPrototypeOf(attributes), Object.prototype, 'the prototype is untouched');
});

t.test('a control character spoils its record only', async (t) => {
  const text = aafDocument(addRequest('1', { sn: ['DU\u0001PONT'] }) + ok('2'));
  const { records, rejects } = await readAll(bytesStream(text));
  t.same(
    records.map((r) => r.id),
    ['2'],
  );
  t.same(
    rejects.map((r) => [r.id, r.reject.code]),
    [['1', 'MALFORMED_RECORD']],
  );
  t.match(rejects[0]?.reject.message, /character not allowed in XML/);
  t.ok(rejects[0]?.raw.includes('DU\u0001PONT'), 'the raw XML keeps the character');
});
