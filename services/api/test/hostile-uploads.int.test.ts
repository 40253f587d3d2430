// Hostile deliveries uploaded through POST /v1/imports (the API half of issue 8's hostile-input
// suite; the CLI half is services/cli/test/ingest-hostile.int.test.ts): deep nesting, attribute
// floods, tgz and zip bombs, truncated archives. Each upload is refused at once with a 4xx
// problem, or queued (202) and then ends `failed` in the import worker with the code; the API
// answers afterwards, nothing is applied, and no upload, spool or plan folder is left behind.
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import t from 'tap';
import { sql } from '@aaf-sync/db';
import {
  deepNesting,
  truncateTo,
  writeStream,
  writeTgz,
  writeZip,
  xmlAttributeFlood,
} from '../../../packages/aaf/test/hostile.js';
import { importIdsOf, settled, withEngine } from './deliveries.js';
import type { TestApp } from './helper.js';

const NAME = 'ENT_TEST_Complet_20240907_Eleve_0000.xml';
const MiB = 1024 * 1024;

/** A multipart body holding one binary file. */
function multipartFile(name: string, content: Buffer) {
  const boundary = `----aafsync${Math.random().toString(16).slice(2)}`;
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${name}"\r\n` +
    `Content-Type: application/octet-stream\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function count(ctx: TestApp, table: string): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`select count(*)::int as n from ${sql.table(table)}`.execute(ctx.db);
  return rows[0]!.n;
}

t.test(
  'hostile uploads: refused or failed, API alive, nothing applied, nothing left',
  async (t) => {
    // Everything this process puts in the OS temp folder (uploads, plan spools) goes to a folder
    // of this test's own, so "nothing left" is checked without other test files' folders.
    const temp = await mkdtemp(join(tmpdir(), 'aaf-hostile-api-'));
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = temp;
    t.teardown(async () => {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      await rm(temp, { recursive: true, force: true });
    });
    const inputs = join(temp, 'inputs');
    await mkdir(inputs);
    const ctx = await withEngine(t, {
      aafLimits: { maxFileBytes: 40 * MiB, maxArchiveBytes: 16 * MiB },
    });
    const admin = await ctx.key(['admin']);
    const uploads = ctx.config.ingest.uploadDir;

    const cases: {
      name: string;
      file: string;
      make: (path: string) => Promise<void>;
      code: string;
    }[] = [
      {
        name: '3,000,000 nested tags',
        file: NAME,
        make: (p) => writeStream(p, deepNesting(3_000_000)),
        code: 'AAF_ERR_TOO_DEEP',
      },
      {
        name: 'one tag with 2,000,000 attributes',
        file: NAME,
        make: (p) => writeStream(p, xmlAttributeFlood(2_000_000)),
        code: 'AAF_ERR_TOO_MANY_XML_ATTRIBUTES',
      },
      {
        name: 'tgz bomb (64 MiB of zeros, files limited to 40 MiB)',
        file: 'ENT2D.20240907.Complet.tgz',
        make: (p) => writeTgz(p, NAME, 64 * MiB),
        code: 'AAF_ERR_FILE_TOO_LARGE',
      },
      {
        name: 'zip bomb (2 × 32 MiB of zeros, archives limited to 16 MiB)',
        file: 'ENT2D.20240907.Complet.zip',
        make: (p) => writeZip(p, [NAME, NAME.replace('Eleve', 'PersRelEleve')], 32 * MiB),
        code: 'AAF_ERR_ARCHIVE_TOO_LARGE',
      },
      {
        name: 'truncated tgz',
        file: 'ENT2D.20240907.Complet.tgz',
        make: async (p) => {
          await writeTgz(p, NAME, 1 * MiB);
          await truncateTo(p, 200);
        },
        code: 'AAF_ERR_BAD_ARCHIVE',
      },
      {
        name: 'truncated zip',
        file: 'ENT2D.20240907.Complet.zip',
        make: async (p) => {
          await writeZip(p, [NAME], 1 * MiB);
          await truncateTo(p, 300);
        },
        code: 'AAF_ERR_BAD_ARCHIVE',
      },
    ];

    for (const c of cases) {
      await t.test(c.name, async (t) => {
        const input = join(inputs, c.file);
        await c.make(input);
        const form = multipartFile(c.file, await readFile(input));
        await rm(input);
        const res = await ctx.inject({
          method: 'POST',
          url: '/v1/imports',
          headers: { authorization: `Bearer ${admin}`, ...form.headers },
          payload: form.payload,
        });
        if (res.statusCode === 202) {
          // Queued: the worker reads it and the import ends failed, naming the limit.
          const ids = importIdsOf(res);
          await settled(ctx.db, ids);
          for (const id of ids) {
            const view = await ctx.get(admin, `/v1/imports/${id}`);
            t.match(view.body, /"status":"failed"/, `import ${id} failed`);
            t.match(view.body, c.code, `import ${id} names ${c.code}`);
            t.notMatch(view.body, temp, 'no server folder in the report');
          }
        } else {
          t.ok(res.statusCode >= 400 && res.statusCode < 500, `a 4xx at once: ${res.statusCode}`);
          t.match(res.headers['content-type'], /^application\/problem\+json/);
          t.match(res.body, c.code);
          t.notMatch(res.body, temp, 'no server folder in the problem');
        }
        const health = await ctx.inject({ url: '/healthz' });
        t.equal(health.statusCode, 200, 'the API still answers');
        for (const table of ['person', 'structure', 'change_event', 'membership'])
          t.equal(await count(ctx, table), 0, `nothing applied (${table})`);
        // The worker removes the spool folder and the plan spool right after it records the
        // failure: wait for that (bounded), then nothing may be left.
        const others = async () =>
          (await readdir(temp)).filter((n) => n !== 'inputs' && n !== basename(uploads));
        const deadline = Date.now() + 30_000;
        while (
          (await readdir(uploads)).length + (await others()).length > 0 &&
          Date.now() < deadline
        )
          await new Promise((r) => setTimeout(r, 50));
        t.same(await readdir(uploads), [], 'no spooled upload left');
        t.same(await others(), [], 'no temporary folder left (uploads, plan spools)');
      });
    }
  },
);
