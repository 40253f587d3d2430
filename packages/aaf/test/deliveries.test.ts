import { createWriteStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import t, { type Test } from 'tap';
import tar from 'tar-stream';
import yazl from 'yazl';
import { AafErrors, openDeliveries, readAafFile, type AafDelivery } from '../src/index.js';
import { FIXTURES } from './helper.js';

const SAMPLES_2D = readdirSync(join(FIXTURES, '2d')).sort();
const content = (level: string, name: string): Buffer => readFileSync(join(FIXTURES, level, name));

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Writes a gzip tar with the given entries (in this order) using tar-stream and zlib. */
async function writeTgz(path: string, entries: [string, Buffer][]): Promise<void> {
  const pack = tar.pack();
  const done = pipeline(pack, createGzip(), createWriteStream(path));
  pack.entry({ name: 'export', type: 'directory' });
  for (const [name, data] of entries) pack.entry({ name, size: data.length }, data);
  pack.finalize();
  await done;
}

async function writeZip(path: string, entries: [string, Buffer][]): Promise<void> {
  const zip = new yazl.ZipFile();
  zip.addEmptyDirectory('export/');
  for (const [name, data] of entries) zip.addBuffer(data, name);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
}

function summary(d: AafDelivery): unknown {
  return {
    name: d.name,
    kind: d.kind,
    date: d.date,
    scope: d.scope,
    level: d.level,
    files: d.files.map((f) => `${f.fileName.entity}#${f.fileName.chunk}`),
  };
}

/** Every file of the deliveries has the bytes of the fixture it was made from. */
async function checkContents(t: Test, deliveries: AafDelivery[], level: string): Promise<void> {
  for (const d of deliveries) {
    for (const f of d.files) {
      const expected = content(level, f.fileName.name);
      t.equal((await bytesOf(await f.open())).equals(expected), true, `${f.source} bytes`);
      t.equal(f.size, expected.length, `${f.source} size`);
    }
  }
}

t.test('a directory: grouped by kind and date, ordered, DTD ignored', async (t) => {
  const deliveries = await openDeliveries([join(FIXTURES, '2d')]);
  t.same(deliveries.map(summary), [
    {
      name: 'ENT_TEST_Complet_20240907 (2d)',
      kind: 'complete',
      date: '2024-09-07',
      scope: 'TEST',
      level: '2d',
      files: [
        'EtabEducNat#0',
        'MatiereEducNat#0',
        'MefEducNat#0',
        'Eleve#0',
        'PersRelEleve#0',
        'PersEducNat#0',
      ],
    },
    {
      name: 'ENT_TEST_Delta_20240910 (2d)',
      kind: 'delta',
      date: '2024-09-10',
      scope: 'TEST',
      level: '2d',
      files: ['Eleve#0', 'PersRelEleve#0'],
    },
  ]);
  t.same(deliveries[0]?.ignored, [
    { name: 'ficAlimMENESR.dtd', reason: 'DTD: not needed, never read' },
  ]);
  await checkContents(t, deliveries, '2d');
});

t.test('a parent directory: sub-directories 1d/2d become separate deliveries', async (t) => {
  const deliveries = await openDeliveries([FIXTURES]);
  t.same(
    deliveries.map((d) => [d.level, d.kind, d.date, d.files.length]),
    [
      ['1d', 'complete', '2024-09-07', 4],
      ['2d', 'complete', '2024-09-07', 6],
      ['2d', 'delta', '2024-09-10', 2],
    ],
  );
});

t.test('a .tgz built with tar-stream: streamed entries, any order', async (t) => {
  const dir = t.testdir({});
  const path = join(dir, 'ENT2D.20240907.Complet.tgz');
  // Archive order (alphabetical) differs from the processing order: files are opened
  // out of archive order, which must still give each its own bytes.
  const entries = SAMPLES_2D.map((n): [string, Buffer] => [`export/${n}`, content('2d', n)]);
  entries.push(['export/README.txt', Buffer.from('hello')]);
  await writeTgz(path, entries);
  const deliveries = await openDeliveries([path]);
  t.same(
    deliveries.map((d) => [d.name, d.level, d.kind, d.files.length]),
    [
      ['ENT2D.20240907.Complet.tgz', '2d', 'complete', 6],
      ['ENT2D.20240907.Complet.tgz', '2d', 'delta', 2],
    ],
  );
  t.same(deliveries[0]?.ignored.map((i) => i.name).sort(), ['README.txt', 'ficAlimMENESR.dtd']);
  t.equal(
    deliveries[0]?.files[3]?.source,
    `${path}!export/ENT_TEST_Complet_20240907_Eleve_0000.xml`,
  );
  await checkContents(t, deliveries, '2d');
  // twice the same file, then an earlier one: new passes over the archive
  const eleve = deliveries[0]!.files[3]!;
  const etab = deliveries[0]!.files[0]!;
  t.equal((await bytesOf(await eleve.open())).length, eleve.size);
  t.equal((await bytesOf(await eleve.open())).length, eleve.size);
  t.equal((await bytesOf(await etab.open())).length, etab.size);
  // reading records straight from the archive
  const reader = readAafFile(await eleve.open(), {
    fileName: eleve.fileName.name,
    entity: 'Eleve',
  });
  let records = 0;
  for await (const item of reader) if (item.type === 'record') records++;
  t.equal(records, 2);
});

t.test('an entry abandoned half-read does not break the next open', async (t) => {
  const dir = t.testdir({});
  const path = join(dir, 'ENT1D.20240907.Complet.tar.gz');
  await writeTgz(
    path,
    readdirSync(join(FIXTURES, '1d')).map((n): [string, Buffer] => [n, content('1d', n)]),
  );
  const [delivery] = await openDeliveries([path]);
  t.equal(delivery?.level, '1d');
  const first = await delivery!.files[0]!.open();
  first.destroy();
  await checkContents(t, [delivery!], '1d');
});

t.test('a plain .tar, files opened concurrently', async (t) => {
  const dir = t.testdir({});
  const path = join(dir, 'ENT2D.20240907.Complet.tar');
  const pack = tar.pack();
  const done = pipeline(pack, createWriteStream(path));
  for (const n of SAMPLES_2D)
    pack.entry({ name: n, size: content('2d', n).length }, content('2d', n));
  pack.finalize();
  await done;
  const [complete] = await openDeliveries([path]);
  const files = complete!.files;
  // all opened at once, read in parallel: each gets a pass of its own
  const streams = await Promise.all(files.map((f) => f.open()));
  const bytes = await Promise.all(streams.map((s) => bytesOf(s)));
  files.forEach((f, i) => {
    t.equal(bytes[i]!.equals(content('2d', f.fileName.name)), true, `${f.fileName.name}`);
  });
});

t.test('a .zip built with yazl', async (t) => {
  const dir = t.testdir({});
  const path = join(dir, 'ENT2DVA.20240910.Delta.zip');
  const deltas = SAMPLES_2D.filter((n) => n.includes('Delta') || n.endsWith('.dtd'));
  const entries = deltas.map((n): [string, Buffer] => [`export/${n}`, content('2d', n)]);
  // macOS archivers add AppleDouble copies; they come first here and must not be taken
  entries.unshift(['__MACOSX/export/._ENT_TEST_Delta_20240910_Eleve_0000.xml', Buffer.from('x')]);
  await writeZip(path, entries);
  const deliveries = await openDeliveries([path]);
  t.same(deliveries.map(summary), [
    {
      name: 'ENT2DVA.20240910.Delta.zip',
      kind: 'delta',
      date: '2024-09-10',
      scope: 'TEST',
      level: '2d',
      files: ['Eleve#0', 'PersRelEleve#0'],
    },
  ]);
  t.same(deliveries[0]?.ignored.map((i) => i.reason).sort(), [
    'DTD: not needed, never read',
    'hidden or system file',
  ]);
  await checkContents(t, deliveries, '2d');
});

t.test('several inputs: deliveries by date, completes before deltas', async (t) => {
  const dir = t.testdir({
    loose: {
      'ENT_TEST_Delta_20240907_Eleve_0000.xml': '<ficAlimMENESR/>',
      'ENT_TEST_Complet_20240907_Eleve_0001.xml': '<ficAlimMENESR/>',
      'ENT_TEST_Complet_20240907_Eleve_0000.xml': '<ficAlimMENESR/>',
      'ENT_TEST_Complet_20240901_EtabEducNat_0000.xml': '<ficAlimMENESR/>',
      'ENT_OTHER_Complet_20240901_Eleve_0000.xml': '<ficAlimMENESR/>',
      'ENT_TEST_Complet_2024_Eleve_0000.xml': '<ficAlimMENESR/>',
      'notes.txt': 'x',
    },
  });
  const deliveries = await openDeliveries([join(dir, 'loose')]);
  t.same(
    deliveries.map((d) => [d.date, d.kind, d.scope, d.files.map((f) => f.fileName.name)]),
    [
      ['2024-09-01', 'complete', 'OTHER', ['ENT_OTHER_Complet_20240901_Eleve_0000.xml']],
      ['2024-09-01', 'complete', 'TEST', ['ENT_TEST_Complet_20240901_EtabEducNat_0000.xml']],
      [
        '2024-09-07',
        'complete',
        'TEST',
        ['ENT_TEST_Complet_20240907_Eleve_0000.xml', 'ENT_TEST_Complet_20240907_Eleve_0001.xml'],
      ],
      ['2024-09-07', 'delta', 'TEST', ['ENT_TEST_Delta_20240907_Eleve_0000.xml']],
    ],
  );
  const ignored = deliveries[0]?.ignored ?? [];
  t.same(ignored.map((i) => i.name).sort(), ['ENT_TEST_Complet_2024_Eleve_0000.xml', 'notes.txt']);
  t.match(ignored.find((i) => i.name.endsWith('.xml'))?.reason, /date "2024"/);
});

t.test('bad inputs', async (t) => {
  const dir = t.testdir({ 'junk.tgz': 'not gzip at all', 'broken.zip': 'PK nope' });
  const path = join(dir, 'ENT2D.20240907.Complet.tgz');
  await writeTgz(path, [
    ['ENT_TEST_Complet_20240907_Eleve_0000.xml', content('2d', SAMPLES_2D[0]!)],
  ]);
  const truncated = join(dir, 'truncated.tgz');
  writeFileSync(truncated, readFileSync(path).subarray(0, 60));
  for (const name of ['junk.tgz', 'broken.zip', 'truncated.tgz']) {
    await t.rejects(openDeliveries([join(dir, name)]), { code: AafErrors.BAD_ARCHIVE.code }, name);
  }
  await t.rejects(openDeliveries([join(dir, 'missing')]), { code: AafErrors.BAD_PATH.code });
  writeFileSync(join(dir, 'ENT_bad.xml'), '');
  await t.rejects(openDeliveries([join(dir, 'ENT_bad.xml')]), {
    code: AafErrors.BAD_FILE_NAME.code,
  });
});
