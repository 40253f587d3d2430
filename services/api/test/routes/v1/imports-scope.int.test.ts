// Establishment-scoped keys uploading through POST /v1/imports (queued, run by a real worker): they
// import only their own establishments' records and read back their own imports. Assertions
// depend on the database and on GET /v1/imports/{id}, not on the upload's answer body.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql } from '@aaf-sync/db';
import t from 'tap';
import { submit, withEngine } from '../../deliveries.js';
import { body, type TestApp } from '../../helper.js';

const SAMPLES = resolve(import.meta.dirname, '../../../../../test/fixtures/aaf-samples/2d');
const OWN_UAI = '0990001N';
/** The 2D sample moved to a second (foreign) school: other jointures, UAI and person ids. */
const SECOND_SCHOOL: readonly (readonly [string, string])[] = [
  // other INEs too: a pupil with a known pupil's INE is that pupil (identity by INE)
  ['<value>123456', '<value>323456'],
  ['910001', '910002'],
  ['0990001N', '0990002P'],
  ['93001', '94001'],
  ['93102', '94102'],
  ['93203', '94203'],
];

/** Sample files whose names contain `pick`; `foreign` moves them to the second school. */
function files(pick: string, options: { foreign?: boolean; chunk?: number } = {}) {
  const out: Record<string, string> = {};
  for (const name of readdirSync(SAMPLES)) {
    if (!name.includes(pick)) continue;
    let text = readFileSync(join(SAMPLES, name), 'utf8');
    if (options.foreign) for (const [a, b] of SECOND_SCHOOL) text = text.split(a).join(b);
    const chunk = String(options.chunk ?? 0).padStart(4, '0');
    out[name.replace(/_\d{4}\.xml$/, `_${chunk}.xml`)] = text;
  }
  return out;
}

/** POST /v1/imports; the queued upload is awaited until the worker has run it. */
const upload = (ctx: TestApp, token: string, content: Record<string, string>) =>
  submit(ctx, token, content);

async function lastImportId(ctx: TestApp): Promise<number> {
  const row = await ctx.db
    .selectFrom('import_run')
    .select('id')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Names, state, version and links of the foreign school's persons. */
async function foreignPersons(ctx: TestApp): Promise<string[]> {
  const { rows } = await sql<{ line: string }>`
    select p.jointure || ' ' || p.state || ' ' || p.sn || ' ' || p.given_name || ' v' || p.version
      || ' ' || coalesce((select string_agg(c.code, ',' order by c.code) from membership m
                 join class_group c on c.id = m.class_group_id where m.person_jointure = p.jointure), '')
      as line
    from person p where p.jointure like '94%' order by p.jointure`.execute(ctx.db);
  return rows.map((r) => r.line);
}

t.test('a scoped key cannot change another establishment through an upload', async (t) => {
  const ctx = await withEngine(t);
  const admin = await ctx.key(['imports:write', 'imports:read']);
  const own = await ctx.key(['imports:write', 'imports:read'], [OWN_UAI]);
  t.equal((await upload(ctx, admin, files('Complet'))).statusCode, 202);
  t.equal((await upload(ctx, admin, files('Complet', { foreign: true }))).statusCode, 202);
  const before = await foreignPersons(ctx);
  t.ok(before.length >= 5, 'the foreign school has persons');

  t.test('a complete is refused', async (t) => {
    const res = await upload(ctx, own, files('Complet'));
    t.equal(res.statusCode, 403);
    t.equal(body(res).code, 'INGEST_ERR_COMPLETE_NOT_ALLOWED');
  });

  t.test('a delta touching both schools applies only its own records', async (t) => {
    const res = await upload(ctx, own, {
      ...files('Delta'),
      ...files('Delta', { foreign: true, chunk: 1 }),
    });
    t.equal(res.statusCode, 202, res.body);
    const id = await lastImportId(ctx);
    t.same(await foreignPersons(ctx), before, 'foreign pupils and relatives untouched');
    const created = await ctx.db
      .selectFrom('person')
      .select('state')
      .where('jointure', '=', '9300103')
      .executeTakeFirst();
    t.same(created, { state: 'active' }, 'the own new pupil is created');
    const report = await ctx.get(own, `/v1/imports/${id}`);
    t.equal(report.statusCode, 200);
    const view = body<{ import: { status: string }; plans: { uai: string }[] }>(report);
    t.equal(view.import.status, 'applied');
    t.same(
      view.plans.map((p) => p.uai),
      [OWN_UAI],
    );
    const rejects = body<{ items: { code: string; identifier: string }[] }>(
      await ctx.get(own, `/v1/imports/${id}/rejects?limit=100`),
    );
    t.same(
      rejects.items.map((r) => `${r.code} ${r.identifier}`).sort(),
      ['9400101', '9400102', '9400103', '9410202', '9410204'].map((i) => `OUT_OF_SCOPE ${i}`),
      'the key sees what it sent and was refused',
    );
    const run = await ctx.db
      .selectFrom('import_run')
      .select(['uais_touched'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    t.same(run.uais_touched, [OWN_UAI]);
  });

  t.test('an upload whose every record was refused stays readable by its key', async (t) => {
    const res = await upload(ctx, own, files('Delta', { foreign: true }));
    t.equal(res.statusCode, 202, res.body);
    const id = await lastImportId(ctx);
    t.same(await foreignPersons(ctx), before);
    const report = await ctx.get(own, `/v1/imports/${id}`);
    t.equal(report.statusCode, 200, 'the submitter reads its own import back');
    t.same(body<{ plans: unknown[] }>(report).plans, [], 'no foreign establishment shown');
    const list = body<{ items: { id: number }[] }>(await ctx.get(own, '/v1/imports'));
    t.ok(
      list.items.some((i) => i.id === id),
      'listed too',
    );
    const other = await ctx.key(['imports:read'], ['0990003R']);
    t.equal((await ctx.get(other, `/v1/imports/${id}`)).statusCode, 404, 'not to other keys');
  });
});
