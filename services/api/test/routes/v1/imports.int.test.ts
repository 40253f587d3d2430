import { existsSync, readFileSync } from 'node:fs';
import t from 'tap';
import type { ImportService, ImportSubmission, PlanDecision } from '../../../src/index.js';
import { A, B, seedSchool } from '../../fixtures/school.js';
import { body, build } from '../../helper.js';

/** A multipart/form-data body with files and fields. */
function multipart(files: Record<string, string>, fields: Record<string, string> = {}) {
  const boundary = `----aafsync${Math.random().toString(16).slice(2)}`;
  const parts: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    );
  }
  for (const [name, content] of Object.entries(files)) {
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${name}"\r\n` +
        `Content-Type: application/xml\r\n\r\n${content}\r\n`,
    );
  }
  parts.push(`--${boundary}--\r\n`);
  return {
    payload: parts.join(''),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Records what the API hands to the engine (the real engine is wired by packages/ingest). */
class RecordingEngine implements ImportService {
  submissions: { input: ImportSubmission; contents: string[]; existed: boolean[] }[] = [];
  decisions: PlanDecision[] = [];
  async submit(input: ImportSubmission) {
    this.submissions.push({
      input,
      contents: input.paths.map((p) => readFileSync(p, 'utf8')),
      existed: input.paths.map((p) => existsSync(p)),
    });
    return { planned: input.paths.length, dryRun: input.dryRun };
  }
  async decide(input: PlanDecision) {
    this.decisions.push(input);
    return { decided: input.decision };
  }
}

t.test('imports: reading', async (t) => {
  const ctx = await build(t);
  const school = await seedSchool(ctx.db);
  const reader = await ctx.key(['imports:read']);
  const scoped = await ctx.key(['imports:read'], [A.uai]);

  t.test('list and report', async (t) => {
    const list = body<{ items: { id: number; status: string }[]; nextCursor: null }>(
      await ctx.get(reader, '/v1/imports'),
    );
    t.same(
      list.items.map((i) => [i.id, i.status]),
      [[school.importId, 'partially_held']],
    );
    const report = body<Record<string, unknown>>(
      await ctx.get(reader, `/v1/imports/${school.importId}`),
    );
    t.match(report, {
      import: { id: school.importId, kind: 'complete', deliveryName: 'ENT_Complet_20240907.tgz' },
      summary: { establishments: { [A.uai]: { created: 6 } } },
      files: [{ id: school.fileId, entity: 'Eleve', records: 4, rejects: 2 }],
      plans: [
        { uai: A.uai, status: 'applied' },
        { uai: B.uai, status: 'held', departures: 40 },
      ],
    });
    t.equal((await ctx.get(reader, '/v1/imports/999999')).statusCode, 404);
    t.equal((await ctx.get(reader, '/v1/imports/abc')).statusCode, 400);
    t.equal((await ctx.get(reader, '/v1/imports?status=bogus')).statusCode, 400);
    const filtered = body<{ items: unknown[] }>(
      await ctx.get(reader, '/v1/imports?status=applied'),
    );
    t.same(filtered.items, []);
  });

  t.test('a scoped key sees its plans and rejects only, not the summary', async (t) => {
    const res = await ctx.get(scoped, `/v1/imports/${school.importId}`);
    const report = body<{ summary: unknown; plans: { uai: string }[] }>(res);
    t.equal(report.summary, null);
    t.same(
      report.plans.map((p) => p.uai),
      [A.uai],
    );
    t.notOk(/Zorglub|ZORGLUB|0990002P|S-B2/.test(res.body));
    const rejects = await ctx.get(scoped, `/v1/imports/${school.importId}/rejects`);
    t.same(
      body<{ items: { identifier: string }[] }>(rejects).items.map((r) => r.identifier),
      ['A-P9'],
    );
    t.equal(
      (await ctx.get(scoped, `/v1/imports/${school.importId}/rejects?uai=${B.uai}`)).statusCode,
      403,
    );
  });

  t.test('rejects: filters, pages, CSV', async (t) => {
    const all = body<{ items: { code: string }[] }>(
      await ctx.get(reader, `/v1/imports/${school.importId}/rejects`),
    );
    t.same(
      all.items.map((r) => r.code),
      ['INVALID_DATE', 'MISSING_REQUIRED'],
    );
    const byCode = body<{ items: { uai: string }[] }>(
      await ctx.get(reader, `/v1/imports/${school.importId}/rejects?code=MISSING_REQUIRED`),
    );
    t.same(
      byCode.items.map((r) => r.uai),
      [B.uai],
    );
    const byUai = body<{ items: { code: string }[] }>(
      await ctx.get(reader, `/v1/imports/${school.importId}/rejects?uai=${A.uai}`),
    );
    t.same(
      byUai.items.map((r) => r.code),
      ['INVALID_DATE'],
    );
    const page1 = body<{ items: unknown[]; nextCursor: string }>(
      await ctx.get(reader, `/v1/imports/${school.importId}/rejects?limit=1`),
    );
    const page2 = body<{ items: { code: string }[]; nextCursor: null }>(
      await ctx.get(
        reader,
        `/v1/imports/${school.importId}/rejects?limit=1&cursor=${page1.nextCursor}`,
      ),
    );
    t.same(
      page2.items.map((r) => r.code),
      ['MISSING_REQUIRED'],
    );
    t.equal(page2.nextCursor, null);
    const csv = await ctx.get(reader, `/v1/imports/${school.importId}/rejects.csv?uai=${A.uai}`);
    t.equal(csv.statusCode, 200);
    t.match(csv.headers['content-type'], /^text\/csv/);
    t.match(csv.headers['content-disposition'], /attachment; filename="import-\d+-rejects.csv"/);
    const lines = csv.body.trimEnd().split('\r\n');
    t.equal(
      lines[0],
      'id,file_name,line,entity,identifier,structure_jointure,uai,code,message,attribute,raw',
    );
    t.equal(lines.length, 2);
    t.match(
      lines[1],
      /,A-P9,S-A1,0990001N,INVALID_DATE,bad birth date,ENTPersonDateNaissance,"<addRequest>=cmd\|""A-P9""<\/addRequest>"$/,
    );
    t.equal((await ctx.get(reader, '/v1/imports/999999/rejects.csv')).statusCode, 404);
  });
});

t.test('imports: upload and decisions call the engine', async (t) => {
  const engine = new RecordingEngine();
  const ctx = await build(t, { imports: engine });
  const school = await seedSchool(ctx.db);
  const writer = await ctx.key(['imports:write']);
  const auth = { authorization: `Bearer ${writer}` };

  t.test('upload saves the files, passes dryRun and the actor, cleans up', async (t) => {
    const form = multipart(
      {
        'ENT_Complet_20240907_Eleve_0000.xml': '<x/>',
        'ENT_Complet_20240907_EtabEducNat_0000.xml': '<y/>',
      },
      { dryRun: 'true' },
    );
    const res = await ctx.inject({
      method: 'POST',
      url: '/v1/imports',
      payload: form.payload,
      headers: { ...form.headers, ...auth },
    });
    t.equal(res.statusCode, 200, res.body);
    t.same(body(res), { report: { planned: 2, dryRun: true } });
    const [call] = engine.submissions;
    t.same(call!.contents, ['<x/>', '<y/>']);
    t.same(call!.existed, [true, true]);
    t.equal(call!.input.dryRun, true);
    t.match(call!.input.actor, /^key:[a-z0-9]+$/);
    t.notOk(
      call!.input.paths.some((p) => existsSync(p)),
      'the temporary files are removed',
    );
    const audit = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'imports.submit')
      .execute();
    t.equal(audit.length, 1);
    t.match(audit[0], {
      status: 200,
      method: 'POST',
      path: '/v1/imports',
      details: {
        dryRun: true,
        files: ['ENT_Complet_20240907_Eleve_0000.xml', 'ENT_Complet_20240907_EtabEducNat_0000.xml'],
      },
    });
    const viaQuery = multipart({ 'a.xml': '<a/>' });
    await ctx.inject({
      method: 'POST',
      url: '/v1/imports?dryRun=false',
      payload: viaQuery.payload,
      headers: { ...viaQuery.headers, ...auth },
    });
    t.equal(engine.submissions[1]!.input.dryRun, false);
  });

  t.test('upload refuses unsafe names, no file, wrong media type', async (t) => {
    const unsafe = multipart({ '.hidden name;.xml': 'x' });
    const r1 = await ctx.inject({
      method: 'POST',
      url: '/v1/imports',
      payload: unsafe.payload,
      headers: { ...unsafe.headers, ...auth },
    });
    t.equal(r1.statusCode, 400);
    t.equal(body(r1).code, 'API_ERR_VALIDATION');
    const none = multipart({}, { dryRun: 'true' });
    const r2 = await ctx.inject({
      method: 'POST',
      url: '/v1/imports',
      payload: none.payload,
      headers: { ...none.headers, ...auth },
    });
    t.equal(r2.statusCode, 400);
    const json = await ctx.inject({
      method: 'POST',
      url: '/v1/imports',
      payload: { files: [] },
      headers: auth,
    });
    t.equal(json.statusCode, 415);
    t.equal(body(json).code, 'API_ERR_UNSUPPORTED_MEDIA_TYPE');
    t.equal(engine.submissions.length, 2, 'the engine was not called');
  });

  t.test('approve and discard a held plan', async (t) => {
    const res = await ctx.inject({
      method: 'POST',
      url: `/v1/imports/${school.importId}/plans/${B.uai}/approve`,
      headers: auth,
    });
    t.equal(res.statusCode, 200);
    t.same(body(res), { report: { decided: 'approve' } });
    t.match(engine.decisions, [{ importId: school.importId, uai: B.uai, decision: 'approve' }]);
    const notHeld = await ctx.inject({
      method: 'POST',
      url: `/v1/imports/${school.importId}/plans/${A.uai}/discard`,
      headers: auth,
    });
    t.equal(notHeld.statusCode, 409);
    t.equal(body(notHeld).code, 'API_ERR_PLAN_NOT_HELD');
    const missing = await ctx.inject({
      method: 'POST',
      url: `/v1/imports/${school.importId}/plans/0990099X/discard`,
      headers: auth,
    });
    t.equal(missing.statusCode, 404);
    const scoped = await ctx.key(['imports:write'], [A.uai]);
    const foreign = await ctx.inject({
      method: 'POST',
      url: `/v1/imports/${school.importId}/plans/${B.uai}/discard`,
      headers: { authorization: `Bearer ${scoped}` },
    });
    t.equal(foreign.statusCode, 404, 'a scoped key cannot decide for another establishment');
    t.equal(engine.decisions.length, 1);
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'status', 'uais'])
      .where('action', 'like', 'plans.%')
      .orderBy('id')
      .execute();
    t.same(
      audit,
      [
        { action: 'plans.approve', status: 200, uais: [B.uai] },
        { action: 'plans.discard', status: 409, uais: [A.uai] },
        { action: 'plans.discard', status: 404, uais: ['0990099X'] },
        { action: 'plans.discard', status: 404, uais: [B.uai] },
      ],
      'every write attempt is audited with its outcome',
    );
  });
});

t.test(
  'imports: without an engine, writes answer 503; auth and validation come first',
  async (t) => {
    const ctx = await build(t);
    await seedSchool(ctx.db);
    const writer = await ctx.key(['imports:write']);
    const reader = await ctx.key(['imports:read']);
    const form = multipart({ 'a.xml': '<a/>' });
    const upload = (token?: string) =>
      ctx.inject({
        method: 'POST',
        url: '/v1/imports',
        payload: form.payload,
        headers: { ...form.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
    t.equal((await upload()).statusCode, 401);
    t.equal((await upload(reader)).statusCode, 403, 'imports:read cannot upload');
    const res = await upload(writer);
    t.equal(res.statusCode, 503);
    t.match(body(res), { code: 'API_ERR_SERVICE_UNAVAILABLE', status: 503, detail: /import/ });
    const decide = (url: string) =>
      ctx.inject({ method: 'POST', url, headers: { authorization: `Bearer ${writer}` } });
    t.equal((await decide('/v1/imports/1/plans/0990002P/approve')).statusCode, 503);
    t.equal((await decide('/v1/imports/1/plans/not-a-uai/approve')).statusCode, 400);
    t.equal((await decide('/v1/imports/0/plans/0990002P/approve')).statusCode, 400);
  },
);
