import { readFileSync } from 'node:fs';
import t from 'tap';
import {
  readAafFileSkipping,
  type ReaderItem,
  type ReadSummary,
  type RequestPrint,
  type UnchangedItem,
} from '../src/index.js';
import { aafDocument, addRequest, bytesStream, fixture, readAll } from './helper.js';

type Item = ReaderItem | UnchangedItem;

/** Reads `doc` skipping the ids `skipIds` says, with every batch of prints recorded. */
async function readSkipping(
  doc: string | Buffer,
  skipIds: (print: RequestPrint) => boolean,
  chunkSize = 64 * 1024,
): Promise<{ items: Item[]; prints: RequestPrint[]; summary: ReadSummary }> {
  const prints: RequestPrint[] = [];
  const reader = readAafFileSkipping(
    bytesStream(doc, chunkSize),
    { fileName: 'test.xml', entity: 'Eleve' },
    async (batch) => {
      prints.push(...batch);
      return new Set(batch.filter(skipIds).map((p) => p.id));
    },
  );
  const items: Item[] = [];
  for (;;) {
    const step = await reader.next();
    if (step.done === true) return { items, prints, summary: step.value };
    items.push(step.value);
  }
}

const pupil = (id: string, sn = 'DURAND') =>
  addRequest(id, { ENTPersonJointure: [id], sn: [sn], givenName: ['LEA'], ENTNouveau: ['x'] });

const malformed =
  '<addRequest>\n<identifier><id>9</id></identifier>\n<attributes>\n<attr><value>x</value></attr>\n</attributes>\n</addRequest>\n';

const modify =
  '<modifyRequest>\n<identifier><id>2</id></identifier>\n<modifications>\n' +
  '<modification name="sn" operation="replace"><value>MARTIN</value></modification>\n' +
  '</modifications>\n</modifyRequest>\n';

const DOC = aafDocument(
  `${pupil('1')}<!-- ${pupil('7').trim()} -->\n${pupil('2')}${modify}${pupil('3')}${malformed}${pupil('4')}`,
);

/** The items of the plain reader, without rawHash. */
const strip = (items: readonly Item[]) =>
  items.map((i) =>
    i.type === 'record' ? { ...i, record: { ...i.record, rawHash: undefined } } : i,
  );

t.test('nothing skipped: the same items as readAafFile, add records fingerprinted', async (t) => {
  const plain = await readAll(bytesStream(DOC));
  for (const size of [7, 64 * 1024]) {
    const { items, prints, summary } = await readSkipping(DOC, () => false, size);
    t.same(
      strip(items),
      plain.items.map((i) => ({ ...i })),
      `chunks of ${size}`,
    );
    t.same(summary, plain.summary);
    // the request inside the comment is neither a record nor fingerprinted
    t.same(
      items.flatMap((i) => (i.type === 'record' && i.record.rawHash ? [i.record.id] : [])),
      ['1', '2', '3', '4'],
    );
    t.ok(prints.every((p) => /^[A-Za-z0-9+/]{27}=$/.test(p.hash)));
    t.same(
      prints.map((p) => p.id).filter((id) => id !== '7'),
      ['1', '2', '3', '9', '4'],
    );
  }
});

t.test('the fingerprint is of the bytes, the entity and the encoding', async (t) => {
  const a = await readSkipping(aafDocument(pupil('1') + pupil('2')), () => false);
  const b = await readSkipping(aafDocument(pupil('2') + pupil('1', 'DURANT')), () => false);
  const hashOf = (r: typeof a, id: string) => r.prints.find((p) => p.id === id)!.hash;
  t.equal(hashOf(a, '2'), hashOf(b, '2'), 'same bytes elsewhere in the file');
  t.not(hashOf(a, '1'), hashOf(b, '1'), 'one byte changed');
  const recordOf = (items: readonly Item[], id: string) =>
    items.find((i) => i.type === 'record' && i.record.id === id);
  t.match(recordOf(a.items, '1'), { record: { rawHash: hashOf(a, '1') } });
});

t.test('skipped requests: unchanged items in order, lines and counts kept', async (t) => {
  const plain = await readAll(bytesStream(DOC));
  // (a consumer never holds the print of a rejected request: 9 is parsed)
  const { items, summary } = await readSkipping(DOC, (p) => p.id !== '3' && p.id !== '9', 5);
  t.same(
    items.map((i) => [i.type, i.type === 'record' ? i.record.id : i.id]),
    [
      ['unchanged', '1'],
      ['unchanged', '2'],
      ['reject', '2'],
      ['record', '3'],
      ['reject', '9'],
      ['unchanged', '4'],
    ],
  );
  const lineOf = (i: Item) => (i.type === 'record' ? i.record.line : i.line);
  t.same(items.map(lineOf), plain.items.map(lineOf), 'lines as if parsed');
  const first = items[0] as UnchangedItem;
  t.same(first.unknownAttributes, ['ENTNouveau'], 'the undocumented names only');
  t.equal(first.raw, pupil('1').trim());
  t.same(summary, plain.summary, 'records and rejects counted the same');
});

t.test('a repeated id is parsed (and rejected) even when the consumer would skip it', async (t) => {
  const doc = aafDocument(pupil('1') + pupil('1'));
  const { items } = await readSkipping(doc, () => true);
  t.same(
    items.map((i) => [i.type, i.type === 'reject' ? i.reject.code : null]),
    [
      ['unchanged', null],
      ['reject', 'DUPLICATE_RECORD'],
    ],
  );
});

t.test('a broken file fails the same way', async (t) => {
  const doc = aafDocument(pupil('1') + pupil('2')).replace('</ficAlimMENESR>', '');
  await t.rejects(
    readSkipping(doc, () => true),
    { code: 'AAF_ERR_TRUNCATED' },
  );
});

t.test('a sample file: skipping everything then nothing gives its records back', async (t) => {
  const bytes = readFileSync(fixture('2d', 'ENT_TEST_Complet_20240907_Eleve_0000.xml'));
  const plain = await readAll(bytesStream(bytes), { entity: 'Eleve' });
  const none = await readSkipping(bytes, () => false, 1000);
  t.same(strip(none.items), plain.items);
  const all = await readSkipping(bytes, () => true, 1000);
  t.equal(
    all.items.filter((i) => i.type === 'unchanged').length,
    plain.records.filter((r) => r.op === 'add').length,
  );
  t.same(all.summary, plain.summary);
});
