// File-level failures: the reader throws (possibly after some records) and nothing is resolved.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import t from 'tap';
import { AafErrors, readAafFile, type ReaderItem } from '../src/index.js';
import { aafDocument, addRequest, bytesStream, readAll } from './helper.js';

const ok = (id: string): string => addRequest(id, { sn: ['X'], givenName: ['Y'] });

/** Reads until the reader throws; returns what was yielded and the error. */
async function readUntilError(input: Readable): Promise<{ items: ReaderItem[]; error: unknown }> {
  const items: ReaderItem[] = [];
  try {
    for await (const item of readAafFile(input, {
      fileName: 'ENT_X_Complet_20240907_Eleve_0000.xml',
    })) {
      items.push(item);
    }
  } catch (error) {
    return { items, error };
  }
  throw new Error('the reader did not fail');
}

t.test('truncated: records before the cut are yielded, then AAF_ERR_TRUNCATED', async (t) => {
  const full = aafDocument(ok('1') + ok('2'));
  const cuts: [number, number][] = [
    [full.lastIndexOf('<addRequest') + 5, 1], // inside the second request's start tag
    [full.indexOf('</ficAlim'), 2], // both requests complete, no end tag
    [full.length - 4, 2], // inside the end tag
  ];
  for (const [cut, yielded] of cuts) {
    const { items, error } = await readUntilError(bytesStream(full.slice(0, cut), 10));
    t.equal(items.length, yielded, `cut at ${cut}: the records before the cut`);
    t.ok(AafErrors.TRUNCATED.is(error), `cut at ${cut}: truncated`);
    t.match(
      (error as Error).message,
      /^ENT_X_Complet_20240907_Eleve_0000\.xml:\d+: the file ends before <\/ficAlimMENESR>/,
    );
  }
  const prologOnly = await readUntilError(
    bytesStream('<?xml version="1.0"?>\n<!DOCTYPE ficAlimMENESR SYSTEM "x.dtd">\n'),
  );
  t.ok(AafErrors.TRUNCATED.is(prologOnly.error), 'cut before the root');
});

t.test('wrong root element: AAF_ERR_WRONG_ROOT', async (t) => {
  const { items, error } = await readUntilError(
    bytesStream('<?xml version="1.0"?>\n<html><body/></html>'),
  );
  t.same(items, []);
  t.ok(AafErrors.WRONG_ROOT.is(error));
  t.match((error as Error).message, /:2: root element is <html>, expected <ficAlimMENESR>/);
});

t.test('not XML, or malformed: AAF_ERR_MALFORMED_XML with line and column', async (t) => {
  for (const text of [
    'hello world',
    'id;sn;givenName\n1;X;Y\n',
    '{"ficAlimMENESR": []}',
    '\u0000\u0001binary',
  ]) {
    const { error } = await readUntilError(bytesStream(text));
    t.ok(AafErrors.MALFORMED_XML.is(error), JSON.stringify(text));
  }
  const broken = aafDocument(
    `${ok('1')}<addRequest><identifier><id>2</id></identifier>\n<attributes><attr name="sn"><value>X</attr>`,
  );
  const { items, error } = await readUntilError(bytesStream(broken, 7));
  t.equal(items.length, 1, 'the good record came first');
  t.ok(AafErrors.MALFORMED_XML.is(error));
  const details = (error as { details: Record<string, unknown> }).details;
  // header (3 lines) + the first request (8 lines) + the second one's first line = line 13
  t.equal(details.line, 13);
  t.match(details.reason, /unexpected close tag/);
  t.match(
    (error as Error).message,
    /^ENT_X_Complet_20240907_Eleve_0000\.xml:13:\d+: malformed XML: /,
  );
  const after = await readUntilError(bytesStream(`${aafDocument('')}<ficAlimMENESR/>`));
  t.ok(AafErrors.MALFORMED_XML.is(after.error), 'a second root');
});

t.test('empty input: AAF_ERR_EMPTY_FILE', async (t) => {
  for (const bytes of [Buffer.alloc(0), Buffer.from('  \r\n\n'), Buffer.from([0xef, 0xbb, 0xbf])]) {
    const { error } = await readUntilError(bytesStream(bytes));
    t.ok(AafErrors.EMPTY_FILE.is(error), JSON.stringify([...bytes]));
  }
});

t.test('an entity declaration bomb is refused without expanding', async (t) => {
  const levels = Array.from({ length: 9 }, (_, i) => {
    const prev = i === 0 ? 'lol' : `&lol${i - 1};`.repeat(10);
    return `<!ENTITY lol${i} "${prev}">`;
  });
  const bomb =
    `<?xml version="1.0"?>\n<!DOCTYPE ficAlimMENESR [\n<!ENTITY lol "lol">\n${levels.join('\n')}\n]>\n` +
    aafDocument(addRequest('1', { sn: ['&lol8;'] }), '<ficAlimMENESR>');
  const before = process.memoryUsage().heapUsed;
  const { items, error } = await readUntilError(bytesStream(bomb));
  t.same(items, []);
  t.ok(AafErrors.ENTITY_DECLARATION.is(error));
  t.match((error as Error).message, /the DOCTYPE declares entities; refused/);
  // 10^9 "lol"s would be gigabytes; nothing close to that was allocated.
  t.ok(process.memoryUsage().heapUsed - before < 50 * 1024 * 1024, 'no expansion');
});

t.test('external entities and DTDs are never fetched', async (t) => {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('<!ENTITY eacute "PWNED">');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // a remote DTD in the DOCTYPE: accepted, never read; HTML entities keep their meaning
  const remoteDtd = `<?xml version="1.0"?>\n<!DOCTYPE ficAlimMENESR SYSTEM "${base}/ficAlimMENESR.dtd">\n<ficAlimMENESR>\n`;
  const { records } = await readAll(
    bytesStream(aafDocument(addRequest('1', { sn: ['&eacute;'] }), remoteDtd)),
  );
  t.same(records[0]?.attributes.sn, ['é']);
  // an external entity (XXE): refused
  const xxe = `<?xml version="1.0"?>\n<!DOCTYPE ficAlimMENESR [<!ENTITY xxe SYSTEM "${base}/secret">]>\n<ficAlimMENESR>\n`;
  const { error } = await readUntilError(
    bytesStream(aafDocument(addRequest('1', { sn: ['&xxe;'] }), xxe)),
  );
  t.ok(AafErrors.ENTITY_DECLARATION.is(error));
  const parameter = `<!DOCTYPE ficAlimMENESR [<!ENTITY % remote SYSTEM "${base}/p.dtd"> %remote;]>\n<ficAlimMENESR>`;
  const { error: pe } = await readUntilError(bytesStream(aafDocument('', parameter)));
  t.ok(AafErrors.ENTITY_DECLARATION.is(pe), 'parameter entities too');
  t.same(hits, [], 'the server was never called');
});

t.test('backpressure: bytes are pulled as records are consumed', async (t) => {
  const record = Buffer.from(ok('1').replace('<id>1</id>', '<id>§</id>'));
  let pulled = 0;
  let n = 0;
  const total = 2000;
  const input = new Readable({
    highWaterMark: 1024,
    read() {
      pulled++;
      if (n === 0) this.push('<ficAlimMENESR>');
      if (n === total) {
        this.push('</ficAlimMENESR>');
        this.push(null);
        return;
      }
      n++;
      this.push(Buffer.from(record.toString().replace('§', String(n))));
    },
  });
  const reader = readAafFile(input, { fileName: 'x.xml' });
  const first = await reader.next();
  t.equal(first.done, false);
  t.ok(pulled < 50, `after one record, only ${pulled} of ${total} chunks were pulled`);
  let count = 1;
  for await (const item of reader) if (item.type === 'record') count++;
  t.equal(count, total);
});

t.test('a bare & fails the file clearly, without swallowing the rest', async (t) => {
  const text = aafDocument(addRequest('1', { sn: ['DUPONT & FILS'] }) + ok('2'));
  for (const chunk of [16, 65536]) {
    const { error } = await readUntilError(bytesStream(text, chunk));
    t.ok(AafErrors.MALFORMED_XML.is(error), `chunks of ${chunk}`);
    t.match((error as Error).message, /a bare & must be written &amp;/);
  }
  const semicolonLater = aafDocument(addRequest('1', { sn: ['A & B', 'C;D'] }));
  const { error } = await readUntilError(bytesStream(semicolonLater));
  t.ok(AafErrors.MALFORMED_XML.is(error), 'a ; further on');
});

t.test('a huge text node is refused, not accumulated', async (t) => {
  const huge = Buffer.alloc(9 * 1024 * 1024, 'x');
  const input = Readable.from(
    [Buffer.from('<ficAlimMENESR><addRequest><identifier><id>'), huge, Buffer.from('</id>')],
    { objectMode: false },
  );
  const { error } = await readUntilError(input);
  t.ok(AafErrors.MALFORMED_XML.is(error));
  t.match((error as Error).message, /a text of more than/);
});
