// Encodings and character references: what the bytes say, whatever the chunking.
import iconv from 'iconv-lite';
import t from 'tap';
import { AafErrors } from '../src/index.js';
import { aafDocument, addRequest, bytesStream, readAll } from './helper.js';

const NAMES = { sn: ['ŒUVRE'], givenName: ['ÉLODIE €'] };

function declared(encoding: string): string {
  return `<?xml version="1.0" encoding="${encoding}"?>\n<ficAlimMENESR>\n`;
}

t.test('ISO-8859-15 raw bytes (Œ and € are not in Latin-1)', async (t) => {
  const text = aafDocument(addRequest('1', NAMES), declared('ISO-8859-15'));
  const bytes = iconv.encode(text, 'iso-8859-15');
  t.equal(bytes.includes(0xbc), true, 'Œ is byte 0xBC in ISO-8859-15');
  const { records, summary } = await readAll(bytesStream(bytes, 7));
  t.same(records[0]?.attributes, { sn: ['ŒUVRE'], givenName: ['ÉLODIE €'] });
  t.equal(summary.encoding, 'iso-8859-15');
  t.equal(summary.bytes, bytes.length);
});

t.test('windows-1252 and ISO-8859-1 (read as windows-1252) declarations', async (t) => {
  const labels: [string, string][] = [
    ['windows-1252', 'windows-1252'],
    ['ISO-8859-1', 'iso-8859-1'],
    ['latin1', 'iso-8859-1'],
  ];
  for (const [label, encoding] of labels) {
    const attrs = { sn: ['DŒUF'], givenName: ['ÉLISE'] };
    const bytes = iconv.encode(
      aafDocument(addRequest('1', attrs), declared(label)),
      'windows-1252',
    );
    const { records, summary } = await readAll(bytesStream(bytes));
    t.same(records[0]?.attributes, attrs, label);
    t.equal(summary.encoding, encoding, label);
  }
});

t.test('no XML declaration: UTF-8', async (t) => {
  const text = aafDocument(addRequest('1', NAMES), '<ficAlimMENESR>');
  const { records, summary } = await readAll(bytesStream(text, 3));
  t.same(records[0]?.attributes, NAMES);
  t.equal(summary.encoding, 'utf-8');
});

t.test('UTF-8 byte-order mark, with and without a declaration', async (t) => {
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  for (const header of [declared('UTF-8'), '<ficAlimMENESR>\n', declared('ISO-8859-15')]) {
    const body = Buffer.from(aafDocument(addRequest('1', NAMES), header), 'utf8');
    const { records, summary } = await readAll(bytesStream(Buffer.concat([bom, body]), 2));
    t.same(records[0]?.attributes, NAMES, 'the BOM wins over the declaration');
    t.equal(summary.encoding, 'utf-8');
  }
});

t.test('bytes that are not UTF-8 in a UTF-8 file: read as windows-1252, counted', async (t) => {
  const latin = iconv.encode('ÉLODIE', 'latin1'); // 0xC9 is not valid UTF-8 here
  const head = Buffer.from(
    '<ficAlimMENESR><addRequest><identifier><id>1</id></identifier><attributes><attr name="givenName"><value>',
  );
  const tail = Buffer.from('é</value></attr></attributes></addRequest></ficAlimMENESR>');
  for (const chunk of [1, 4, 1024]) {
    const { records, summary } = await readAll(
      bytesStream(Buffer.concat([head, latin, tail]), chunk),
    );
    t.same(records[0]?.attributes.givenName, ['ÉLODIEé'], `chunks of ${chunk}`);
    t.equal(summary.invalidBytes, 1);
  }
  const clean = await readAll(bytesStream(Buffer.concat([head, tail]), 1));
  t.equal(clean.summary.invalidBytes, 0, 'a multi-byte character split over chunks is fine');
});

t.test('unsupported encodings are refused', async (t) => {
  for (const label of ['UTF-16', 'Shift_JIS', 'EBCDIC']) {
    const text = aafDocument('', declared(label));
    await t.rejects(readAll(bytesStream(text)), {
      code: AafErrors.UNSUPPORTED_ENCODING.code,
      message: new RegExp(`test\\.xml: unsupported encoding ${label}`),
    });
  }
  const utf16 = Buffer.concat([
    Buffer.from([0xff, 0xfe]),
    Buffer.from('<ficAlimMENESR/>', 'utf16le'),
  ]);
  await t.rejects(readAll(bytesStream(utf16)), { code: AafErrors.UNSUPPORTED_ENCODING.code });
});

t.test('numeric character references, decimal and hexadecimal', async (t) => {
  const text = aafDocument(addRequest('1', { givenName: ['L&#201;A &#xC9;LISE &#x152;'] }));
  const { records } = await readAll(bytesStream(text));
  t.same(records[0]?.attributes.givenName, ['LÉA ÉLISE Œ']);
});

t.test('HTML named entities without a DTD, also split across 1-byte chunks', async (t) => {
  const value =
    '&Eacute;lo&iuml;se&nbsp;C&oelig;ur &eacute;t&eacute; &laquo;&euro;&raquo; &amp; &apos;';
  const text = aafDocument(addRequest('1', { givenName: [value] }));
  for (const chunk of [1, 5, 65536]) {
    const { records, rejects } = await readAll(bytesStream(text, chunk));
    t.same(rejects, [], `chunks of ${chunk}: no reject`);
    t.same(
      records[0]?.attributes.givenName,
      ["Éloïse\u00a0Cœur été «€» & '"],
      `chunks of ${chunk}`,
    );
  }
});

t.test('double-escaped references are normalised after parsing', async (t) => {
  const values = [
    'D&amp;apos;ARC',
    'DIT &amp;quot;LE GRAND&amp;quot;',
    'H&amp;eacute;l&amp;#232;ne',
  ];
  const text = aafDocument(addRequest('1', { sn: values }));
  const { records } = await readAll(bytesStream(text, 3));
  t.same(records[0]?.attributes.sn, ["D'ARC", 'DIT "LE GRAND"', 'Hélène']);
});

t.test('an entity unknown to XML and HTML spoils its record only', async (t) => {
  const text = aafDocument(
    addRequest('1', { sn: ['A&bogus;B'] }) + addRequest('2', { sn: ['OK'] }),
  );
  const { records, rejects } = await readAll(bytesStream(text));
  t.same(
    records.map((r) => r.id),
    ['2'],
  );
  t.same(
    rejects.map((r) => [r.id, r.reject.code]),
    [['1', 'MALFORMED_RECORD']],
  );
  t.match(rejects[0]?.reject.message, /undefined entity/);
});
