// Hostile inputs fail fast with their own code while memory stays bounded: each stream below
// would exhaust the heap if it were parsed or buffered whole (3,000,000 nested tags, 2,000,000
// XML attributes on one tag, archive bombs). The streams are generated on the fly; the tests
// check how little of them was pulled before the failure.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import t, { type Test } from 'tap';
import { AafErrors, openDeliveries, readAafFile, type AafLimits } from '../src/index.js';
import { aafDocument, addRequest, bytesStream } from './helper.js';
import {
  attrElementFlood,
  repeated,
  deepNesting,
  valueFlood,
  writeLyingZip,
  writeStream,
  writeTgz,
  writeZip,
  xmlAttributeFlood,
  zeros,
} from './hostile.js';

const MiB = 1024 * 1024;
const NAME = 'ENT_TEST_Complet_20240907_Eleve_0000.xml';

/** Reads `input` to the end; resolves to the error thrown, and the bytes pulled from input. */
async function failure(
  input: Readable,
  limits?: Partial<AafLimits>,
): Promise<{ err: unknown; pulled: number }> {
  let pulled = 0;
  input.on('data', (c: Buffer | string) => (pulled += c.length));
  try {
    for await (const _ of readAafFile(input, { fileName: NAME, ...(limits ? { limits } : {}) }));
  } catch (err) {
    return { err, pulled };
  }
  throw new Error('the reader did not fail');
}

async function tempDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aaf-limits-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Opens the deliveries and reads every file; resolves to the error thrown. */
async function readDeliveries(paths: string[], limits: Partial<AafLimits>): Promise<unknown> {
  try {
    for (const d of await openDeliveries(paths, { limits })) {
      for (const f of d.files) {
        for await (const _ of readAafFile(await f.open(), { fileName: f.fileName.name, limits }));
      }
    }
  } catch (err) {
    return err;
  }
  throw new Error('no failure');
}

t.test('3,000,000 nested tags: AAF_ERR_TOO_DEEP past 32 levels', async (t) => {
  const { err, pulled } = await failure(deepNesting(3_000_000));
  t.ok(AafErrors.TOO_DEEP.is(err), String(err));
  t.match((err as Error).message, `${NAME}:3: elements nested deeper than 32 levels`);
  t.ok(pulled < 256 * 1024, `${pulled} bytes pulled of ~9 MB`);
});

t.test('the depth limit is configurable; a real file fits in 5 levels', async (t) => {
  const doc = aafDocument(addRequest('1', { sn: ['A'], givenName: ['B'] }));
  const { err } = await failure(bytesStream(doc), { maxDepth: 4 });
  t.ok(AafErrors.TOO_DEEP.is(err));
  t.match((err as Error).message, 'deeper than 4 levels');
  let records = 0;
  for await (const item of readAafFile(bytesStream(doc), {
    fileName: NAME,
    limits: { maxDepth: 5 },
  }))
    if (item.type === 'record') records++;
  t.equal(records, 1);
});

t.test('one tag with 2,000,000 attributes: AAF_ERR_TOO_MANY_XML_ATTRIBUTES', async (t) => {
  const { err, pulled } = await failure(xmlAttributeFlood(2_000_000));
  t.ok(AafErrors.TOO_MANY_XML_ATTRIBUTES.is(err), String(err));
  t.match((err as Error).message, 'more than 32 XML attributes (AAF_MAX_XML_ATTRIBUTES)');
  t.ok(pulled < 256 * 1024, `${pulled} bytes pulled of ~20 MB`);
});

t.test('a request with 1,000,000 <attr> names: AAF_ERR_TOO_MANY_ATTRIBUTES', async (t) => {
  const { err, pulled } = await failure(attrElementFlood(1_000_000));
  t.ok(AafErrors.TOO_MANY_ATTRIBUTES.is(err), String(err));
  t.match((err as Error).message, `${NAME}:3: a request holds more than 200 attributes`);
  t.ok(pulled < 256 * 1024, `${pulled} bytes pulled`);
});

t.test('an attribute with 1,000,000 values: AAF_ERR_TOO_MANY_VALUES', async (t) => {
  const { err, pulled } = await failure(valueFlood(1_000_000));
  t.ok(AafErrors.TOO_MANY_VALUES.is(err), String(err));
  t.match((err as Error).message, 'attribute ENTEleveClasses holds more than 10000 values');
  t.ok(pulled < 1024 * 1024, `${pulled} bytes pulled`);
  const small = await failure(valueFlood(50), { maxValues: 40 });
  t.ok(AafErrors.TOO_MANY_VALUES.is(small.err), 'configurable');
});

t.test('a stream longer than maxFileBytes: AAF_ERR_FILE_TOO_LARGE', async (t) => {
  const { err, pulled } = await failure(valueFlood(1_000_000), {
    maxFileBytes: MiB,
    maxValues: 2e6,
  });
  t.ok(AafErrors.FILE_TOO_LARGE.is(err), String(err));
  t.equal(
    (err as Error).message,
    `${NAME}: more than ${MiB} bytes uncompressed (AAF_MAX_FILE_BYTES)`,
  );
  t.ok(pulled < 2 * MiB);
});

t.test('tgz bomb: a member inflating past maxFileBytes is refused at its header', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'ENT2D.20240907.Complet.tgz');
  await writeTgz(path, NAME, 64 * MiB); // ~64 KiB on disk
  const started = Date.now();
  const err = await readDeliveries([path], { maxFileBytes: 8 * MiB });
  t.ok(AafErrors.FILE_TOO_LARGE.is(err), String(err));
  t.equal(
    (err as Error).message,
    `${NAME}: more than ${8 * MiB} bytes uncompressed (AAF_MAX_FILE_BYTES)`,
  );
  t.ok(Date.now() - started < 5000, 'before inflating it');
});

t.test('tgz: members adding up past maxArchiveBytes: AAF_ERR_ARCHIVE_TOO_LARGE', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'ENT2D.20240907.Complet.tgz');
  await writeTgz(path, NAME, 24 * MiB);
  const err = await readDeliveries([path], { maxArchiveBytes: 16 * MiB });
  t.ok(AafErrors.ARCHIVE_TOO_LARGE.is(err), String(err));
  t.equal(
    (err as Error).message,
    `ENT2D.20240907.Complet.tgz: more than ${16 * MiB} bytes uncompressed (AAF_MAX_ARCHIVE_BYTES, AAF_MAX_ARCHIVE_ENTRIES)`,
    'the archive by its base name only',
  );
});

t.test('tgz of repeated XML: the reader stops it at the first limit', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'ENT2D.20240907.Complet.tgz');
  const xml = join(dir, 'nested.xml'); // the member size must be known before packing
  await writeStream(xml, deepNesting(3_000_000));
  await writeTgz(path, NAME, (await stat(xml)).size, createReadStream(xml));
  const err = await readDeliveries([path], {});
  t.ok(AafErrors.TOO_DEEP.is(err), String(err));
});

t.test('zip bomb: declared sizes over the limits are refused while listing', async (t) => {
  const dir = await tempDir(t);
  const big = join(dir, 'ENT2D.20240907.Complet.zip');
  await writeZip(big, [NAME], 32 * MiB);
  t.ok(AafErrors.FILE_TOO_LARGE.is(await readDeliveries([big], { maxFileBytes: 8 * MiB })));
  const many = join(dir, 'ENT1D.20240907.Complet.zip');
  await writeZip(
    many,
    Array.from({ length: 30 }, (_, i) => `x${i}.bin`),
    1,
  );
  const err = await readDeliveries([many], { maxArchiveEntries: 20 });
  t.ok(AafErrors.ARCHIVE_TOO_LARGE.is(err), String(err));
  t.match((err as Error).message, 'ENT1D.20240907.Complet.zip: more than 20 members');
});

t.test('a zip lying about its sizes never inflates past them', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'ENT2D.20240907.Complet.zip');
  await writeLyingZip(path, NAME, 16 * MiB, 1000);
  const err = await readDeliveries([path], { maxFileBytes: MiB });
  t.ok(
    AafErrors.BAD_ARCHIVE.is(err) || AafErrors.FILE_TOO_LARGE.is(err),
    `failed with ${String(err)}`,
  );
});

t.test('files adding up past maxDeliveryBytes: AAF_ERR_DELIVERY_TOO_LARGE', async (t) => {
  const dir = await tempDir(t);
  const a = join(dir, NAME);
  const b = join(dir, NAME.replace('Eleve', 'PersRelEleve'));
  await writeStream(a, zeros(600 * 1024));
  await writeStream(b, zeros(600 * 1024));
  const err = await readDeliveries([a, b], { maxDeliveryBytes: MiB });
  t.ok(AafErrors.DELIVERY_TOO_LARGE.is(err), String(err));
  t.equal(
    (err as Error).message,
    `the files given hold more than ${MiB} bytes uncompressed (AAF_MAX_DELIVERY_BYTES)`,
  );
  const loose = await readDeliveries([a], { maxFileBytes: 512 * 1024 });
  t.ok(AafErrors.FILE_TOO_LARGE.is(loose), 'a loose file over maxFileBytes');
});

t.test('a value made of 100,000 CDATA sections of 1 KiB is refused, not accumulated', async (t) => {
  const piece = `<![CDATA[${'x'.repeat(1024)}]]>`;
  const head =
    '<?xml version="1.0" encoding="UTF-8"?>\n<ficAlimMENESR>\n<addRequest><operationalAttributes>' +
    '<attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes>' +
    '<identifier><id>1</id></identifier><attributes><attr name="sn"><value>';
  const tail = '</value></attr></attributes></addRequest></ficAlimMENESR>\n';
  let records = 0;
  const rejects: string[] = [];
  for await (const item of readAafFile(
    repeated(head, 100_000, () => piece, tail),
    {
      fileName: NAME,
    },
  )) {
    if (item.type === 'record') records++;
    else rejects.push(`${item.reject.code}: ${item.reject.message}`);
  }
  t.equal(records, 0);
  t.same(rejects, ['MALFORMED_RECORD: a value larger than 4194304 characters']);
});

t.test('a file of more requests than maxRecords: AAF_ERR_TOO_MANY_RECORDS', async (t) => {
  const del = (i: number) =>
    `<deleteRequest><operationalAttributes><attr name="categoriePersonne"><value>Eleve</value>` +
    `</attr></operationalAttributes><identifier><id>${i}</id></identifier></deleteRequest>\n`;
  const { err, pulled } = await failure(
    repeated('<?xml version="1.0"?>\n<ficAlimMENESR>\n', 100_000, del, '</ficAlimMENESR>'),
    { maxRecords: 1000 },
  );
  t.ok(AafErrors.TOO_MANY_RECORDS.is(err), String(err));
  t.match((err as Error).message, 'more than 1000 requests in one file (AAF_MAX_RECORDS_PER_FILE)');
  t.ok(pulled < 1024 * 1024, `${pulled} bytes pulled`);
});
