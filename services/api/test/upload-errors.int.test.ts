// Deliveries the engine cannot read, uploaded through the API with the real engine: the problem
// names the uploaded file, never the server's temporary folder.
import { tmpdir } from 'node:os';
import t from 'tap';
import { body } from './helper.js';
import { importIdsOf, submit, withEngine } from './deliveries.js';

t.test('engine errors name the uploaded file, not the server path', async (t) => {
  const ctx = await withEngine(t);
  const admin = await ctx.key(['admin']);
  const serverPath = new RegExp(`${tmpdir().replace(/[/\\]/g, '.')}|aaf-upload-|\\n\\s+at `);
  const cases: [Record<string, string>, number, string, RegExp][] = [
    [{ 'delivery.tgz': 'not gzip' }, 422, 'AAF_ERR_BAD_ARCHIVE', /archive delivery\.tgz: /],
    [{ 'delivery.zip': 'PK\u0003\u0004broken' }, 422, 'AAF_ERR_BAD_ARCHIVE', /delivery\.zip/],
    [{ 'readme.txt': 'hello' }, 400, 'AAF_ERR_BAD_PATH', /input readme\.txt: /],
  ];
  for (const [files, status, code, names] of cases) {
    const res = await submit(ctx, admin, files);
    t.equal(res.statusCode, status, res.body);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    const problem = body<{ code: string; detail: string }>(res);
    t.equal(problem.code, code);
    t.match(problem.detail, names, 'the uploaded name is kept');
    t.notMatch(res.body, serverPath, `no server path in ${problem.detail}`);
  }
  const truncated = await submit(ctx, admin, {
    'ENT_TEST_Complet_20240907_Eleve_0000.xml': '<ficAlimMENESR><addRequest>',
  });
  t.equal(truncated.statusCode, 202, 'a file that cannot be read is queued, then reported');
  const [id] = importIdsOf(truncated);
  const report = await ctx.get(admin, `/v1/imports/${id}`);
  t.match(report.body, /"status":"failed"/, 'its only file failed: the import failed');
  t.notMatch(report.body, serverPath, 'the report names no server path either');
});
