// Hostile inputs given to `aaf-sync ingest --json` (the CLI half of issue 8's hostile-input
// suite): deep nesting, attribute floods, zip and tgz bombs, truncated archives. Each run must
// end with a clean non-zero exit (never an abort, rc 134), exactly one JSON document on stdout
// naming the error code, nothing applied in the database and no temporary folder left. The CLI
// runs as `pnpm aaf-sync` runs it, with a 256 MiB old space: a parser buffering the input would
// die. Inputs are generated on the fly in a temp folder.
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { sql, type Database, type Kysely } from '@aaf-sync/db';
import { testDb } from '@aaf-sync/testing';
import {
  deepNesting,
  repeated,
  truncateTo,
  writeStream,
  writeTgz,
  writeZip,
  xmlAttributeFlood,
} from '../../../packages/aaf/test/hostile.js';

const CLI = resolve(import.meta.dirname, '../dist/main.js');
const SAMPLES = resolve(import.meta.dirname, '../../../test/fixtures/aaf-samples/2d');
const NAME = 'ENT_TEST_Complet_20240907_Eleve_0000.xml';
const MiB = 1024 * 1024;

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runIngest(args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(
    process.execPath,
    ['--max-old-space-size=256', '--max-semi-space-size=16', CLI, 'ingest', '--json', ...args],
    { env: { LOG_LEVEL: 'warn', LOG_PRETTY: 'false', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((done) =>
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr })),
  );
}

async function count(db: Kysely<Database>, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(
    table,
  )}`.execute(db);
  return rows[0]!.n;
}

interface Report {
  error?: { code: string; message: string };
  imports: { status: string; error: unknown; files: { error: { code: string } | null }[] }[];
}

t.test('hostile inputs: clean exit, one JSON report, nothing applied, no temp left', async (t) => {
  const { db, url } = await testDb(t);
  const dir = await mkdtemp(join(tmpdir(), 'aaf-hostile-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));

  const cases: {
    name: string;
    file: string;
    make: (path: string) => Promise<void>;
    env?: Record<string, string>;
    /** The code: of the whole run (`error`), or of the only file of the import. */
    code: string;
    where: 'run' | 'file';
    /** Exit code (1 unless said). */
    exit?: number;
  }[] = [
    {
      name: '3,000,000 nested tags',
      file: NAME,
      make: (p) => writeStream(p, deepNesting(3_000_000)),
      code: 'AAF_ERR_TOO_DEEP',
      where: 'file',
    },
    {
      name: 'one tag with 2,000,000 attributes',
      file: NAME,
      make: (p) => writeStream(p, xmlAttributeFlood(2_000_000)),
      code: 'AAF_ERR_TOO_MANY_XML_ATTRIBUTES',
      where: 'file',
    },
    {
      name: 'a text node of 40 MB',
      file: NAME,
      make: (p) =>
        writeStream(
          p,
          repeated('<ficAlimMENESR>', 40 * 1024, () => 'x'.repeat(1024)),
        ),
      code: 'AAF_ERR_MALFORMED_XML',
      where: 'file',
    },
    {
      name: 'tgz bomb (64 MiB of zeros, AAF_MAX_FILE_BYTES 8 MiB)',
      file: 'ENT2D.20240907.Complet.tgz',
      make: (p) => writeTgz(p, NAME, 64 * MiB),
      env: { AAF_MAX_FILE_BYTES: String(8 * MiB) },
      code: 'AAF_ERR_FILE_TOO_LARGE',
      where: 'run',
    },
    {
      name: 'zip bomb (64 MiB of zeros, AAF_MAX_ARCHIVE_BYTES 16 MiB)',
      file: 'ENT2D.20240907.Complet.zip',
      make: (p) => writeZip(p, [NAME, NAME.replace('Eleve', 'PersRelEleve')], 32 * MiB),
      env: { AAF_MAX_ARCHIVE_BYTES: String(16 * MiB) },
      code: 'AAF_ERR_ARCHIVE_TOO_LARGE',
      where: 'run',
    },
    {
      name: 'truncated tgz',
      file: 'ENT2D.20240907.Complet.tgz',
      make: async (p) => {
        await writeTgz(p, NAME, 1 * MiB);
        await truncateTo(p, 200);
      },
      code: 'AAF_ERR_BAD_ARCHIVE',
      where: 'run',
    },
    {
      name: 'truncated zip',
      file: 'ENT2D.20240907.Complet.zip',
      make: async (p) => {
        await writeZip(p, [NAME], 1 * MiB);
        await truncateTo(p, 300);
      },
      code: 'AAF_ERR_BAD_ARCHIVE',
      where: 'run',
    },
    {
      name: 'an archive with nothing to import',
      file: 'ENT2D.20240907.Complet.zip',
      make: (p) => writeZip(p, ['readme.txt'], 10),
      code: 'INGEST_ERR_NOTHING_TO_IMPORT',
      where: 'run',
      exit: 2, // the paths given hold no AAF file: the message names them
    },
  ];

  for (const c of cases) {
    await t.test(c.name, async (t) => {
      const caseDir = await mkdtemp(join(dir, 'case-'));
      const input = join(caseDir, c.file);
      await c.make(input);
      const temp = await mkdtemp(join(dir, 'tmp-'));
      const run = await runIngest([input], { DATABASE_URL: url, TMPDIR: temp, ...c.env });
      t.equal(run.signal, null, 'not killed');
      t.equal(run.code, c.exit ?? 1, `clean exit (stderr: ${run.stderr.slice(0, 300)})`);
      const report = JSON.parse(run.stdout) as Report; // exactly one document
      if (c.where === 'run') {
        t.equal(report.error?.code, c.code);
        t.same(report.imports, []);
        if (c.exit === undefined)
          t.notMatch(report.error?.message ?? '', caseDir, 'no server folder in the message');
      } else {
        t.equal(report.imports.length, 1);
        t.match(
          report.imports[0]!.error,
          { code: 'INGEST_ERR_FILES_FAILED' },
          'the import failed its file',
        );
        t.equal(report.imports[0]!.files[0]!.error?.code, c.code);
      }
      for (const table of ['person', 'structure', 'change_event', 'membership'])
        t.equal(await count(db, table), 0, `nothing applied (${table})`);
      t.same(await readdir(temp), [], 'no temporary folder left');
    });
  }
});

t.test('a hostile file next to a good one: only the good file is applied', async (t) => {
  const { db, url } = await testDb(t);
  const dir = await mkdtemp(join(tmpdir(), 'aaf-hostile-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const good = join(dir, 'ENT_TEST_Complet_20240907_EtabEducNat_0000.xml');
  await copyFile(join(SAMPLES, 'ENT_TEST_Complet_20240907_EtabEducNat_0000.xml'), good);
  const bad = join(dir, NAME);
  await writeStream(bad, deepNesting(100_000));
  const run = await runIngest([good, bad], { DATABASE_URL: url, TMPDIR: dir });
  t.equal(run.code, 1, 'a file failed: exit 1');
  const report = JSON.parse(run.stdout) as Report;
  t.same(
    report.imports[0]!.files.map((f) => f.error?.code ?? null),
    [null, 'AAF_ERR_TOO_DEEP'],
  );
  t.ok((await count(db, 'structure')) > 0, 'the structures were applied');
  t.equal(await count(db, 'person'), 0, 'no pupil of the failed file');
});
