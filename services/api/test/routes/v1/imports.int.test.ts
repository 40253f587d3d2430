import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { loadConfig } from '@aaf-sync/config';
import { createLogger } from '@aaf-sync/logger';
import { ImportQueue } from '@aaf-sync/ingest';
import { createProducer } from '@aaf-sync/jobs';
import { Redis } from 'ioredis';
import { queueEnqueuer } from '../../../src/index.js';
import { A, B, seedSchool } from '../../fixtures/school.js';
import { body, build, type TestApp } from '../../helper.js';
import { multipart } from '../../deliveries.js';

const silent = createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));

const COMPLETE = {
  'ENT_Complet_20240907_Eleve_0000.xml': '<x/>',
  'ENT_Complet_20240907_EtabEducNat_0000.xml': '<y/>',
};
const DELTA = { 'ENT_Delta_20240909_Eleve_0000.xml': '<x/>' };

async function queuedJob(ctx: TestApp, id: string) {
  const producer = createProducer(ImportQueue, {
    connection: ctx.redis!.connect(),
    prefix: ctx.redis!.prefix,
    log: silent,
  });
  try {
    return (await producer.queue.getJob(id))?.data as Record<string, unknown> | undefined;
  } finally {
    await producer.close();
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
      summary: {
        establishments: [{ uai: A.uai, created: 6, status: 'applied' }, { status: 'held' }],
      },
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

  t.test('a stored report of another shape is answered as null, never a 500', async (t) => {
    const legacy = await ctx.db
      .insertInto('import_run')
      .values({
        kind: 'delta',
        scope: 'ENT',
        level: '2d',
        file_date: '2024-09-09',
        source: 'upload',
        delivery_name: 'ENT_Delta_20240909.tgz',
        content_hash: 'legacy',
        status: 'applied',
        summary: JSON.stringify({ establishments: { [A.uai]: { created: 1 } } }),
        finished_at: new Date('2024-09-09T04:00:00Z'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    t.teardown(() => ctx.db.deleteFrom('import_run').where('id', '=', legacy.id).execute());
    const res = await ctx.get(reader, `/v1/imports/${legacy.id}`);
    t.equal(res.statusCode, 200);
    t.match(body<Record<string, unknown>>(res), {
      import: { id: Number(legacy.id), kind: 'delta' },
      summary: null,
    });
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

  t.test('warnings: every one, page by page, by code and establishment, in scope', async (t) => {
    // More than a page of warnings of A, one of B, one of no establishment.
    await ctx.db
      .insertInto('import_warning')
      .values([
        ...['A-R1', 'A-R2', 'A-R3'].map((subject) => ({
          import_id: school.importId,
          structure_jointure: 'S-A1',
          uai: A.uai,
          code: 'RELATIVE_PUPILS_DEPARTED',
          subject,
          message: `relative ${subject}: every pupil it is linked to has departed`,
        })),
        {
          import_id: school.importId,
          structure_jointure: 'S-B1',
          uai: B.uai,
          code: 'UNKNOWN_STRUCTURE',
          subject: 'B-T1',
          message: 'unknown structure 990000',
        },
        {
          import_id: school.importId,
          structure_jointure: null,
          uai: null,
          code: 'RELATIVE_UNLINKED',
          subject: 'R-0',
          message: 'relative R-0: no pupil names it',
        },
      ])
      .execute();
    const url = `/v1/imports/${school.importId}/warnings`;
    type Page = { items: { code: string; uai: string | null; subject: string }[] };
    const all = body<Page & { nextCursor: null }>(await ctx.get(reader, url));
    t.same(
      all.items.map((w) => w.subject),
      ['A-R1', 'A-R2', 'A-R3', 'B-T1', 'R-0'],
    );
    const page1 = body<Page & { nextCursor: string }>(await ctx.get(reader, `${url}?limit=2`));
    const page2 = body<Page>(await ctx.get(reader, `${url}?limit=2&cursor=${page1.nextCursor}`));
    t.same(
      [...page1.items, ...page2.items].map((w) => w.subject),
      ['A-R1', 'A-R2', 'A-R3', 'B-T1'],
    );
    t.same(
      body<Page>(await ctx.get(reader, `${url}?code=RELATIVE_UNLINKED`)).items.map((w) => w.uai),
      [null],
      'the relatives linked to no pupil, listed',
    );
    t.same(
      body<Page>(await ctx.get(reader, `${url}?uai=${B.uai}`)).items.map((w) => w.code),
      ['UNKNOWN_STRUCTURE'],
    );
    t.equal((await ctx.get(reader, `${url}?code=NOT_A_WARNING`)).statusCode, 400);
    t.same(
      body<Page>(await ctx.get(scoped, url)).items.map((w) => w.subject),
      ['A-R1', 'A-R2', 'A-R3'],
      'a scoped key: its establishment only',
    );
    t.equal((await ctx.get(scoped, `${url}?uai=${B.uai}`)).statusCode, 403);
    t.equal((await ctx.get(reader, '/v1/imports/999999/warnings')).statusCode, 404);
  });
});

t.test('imports: uploads and decisions are stored and queued, never run here', async (t) => {
  const ctx = await build(t, { queue: true });
  const school = await seedSchool(ctx.db);
  const writer = await ctx.key(['imports:write']);
  const auth = { authorization: `Bearer ${writer}` };
  const post = (url: string, form?: ReturnType<typeof multipart>, token = writer) =>
    ctx.inject({
      method: 'POST',
      url,
      ...(form ? { payload: form.payload } : {}),
      headers: { ...(form?.headers ?? {}), authorization: `Bearer ${token}` },
    });

  t.test('upload: 202 + Location, a queued run, the files spooled, a job', async (t) => {
    const res = await post('/v1/imports', multipart(COMPLETE, { dryRun: 'true' }));
    t.equal(res.statusCode, 202, res.body);
    const accepted = body<{ importId: number; imports: { id: number; deliveryName: string }[] }>(
      res,
    );
    t.match(accepted, { status: 'queued', enqueued: true, imports: [{ id: accepted.importId }] });
    t.equal(res.headers.location, `/v1/imports/${accepted.importId}`);
    const run = await ctx.db
      .selectFrom('import_run')
      .selectAll()
      .where('id', '=', accepted.importId)
      .executeTakeFirstOrThrow();
    t.match(run, { status: 'queued', dry_run: true, kind: 'complete', source: 'api' });
    const spool = (run.options as { spoolDir: string }).spoolDir;
    t.ok(spool.startsWith(ctx.config.ingest.uploadDir), 'spooled under AAF_UPLOAD_DIR');
    t.same(readdirSync(spool).sort(), Object.keys(COMPLETE));
    t.equal(readFileSync(join(spool, 'ENT_Complet_20240907_Eleve_0000.xml'), 'utf8'), '<x/>');
    t.match(await queuedJob(ctx, `submission-${accepted.importId}`), {
      kind: 'submission',
      importIds: [accepted.importId],
      spoolDir: spool,
      dryRun: true,
      actor: /^key:[a-z0-9]+$/,
      scope: { uais: null },
    });
    const report = body<{ import: Record<string, unknown> }>(
      await ctx.get(writer, `/v1/imports/${accepted.importId}`),
    );
    t.match(report.import, {
      status: 'queued',
      level: null,
      contentHash: null,
      progress: { phase: 'queued', recordsRead: 0 },
    });
    t.equal(
      await ctx.db
        .selectFrom('person')
        .select('id')
        .where('last_import_id', '=', accepted.importId)
        .executeTakeFirst(),
      undefined,
      'nothing applied by the API',
    );
    const audit = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'imports.submit')
      .execute();
    t.match(audit, [
      {
        status: 202,
        details: { dryRun: true, files: Object.keys(COMPLETE), importIds: [accepted.importId] },
      },
    ]);
  });

  t.test('a scoped key queues its establishments as the import scope', async (t) => {
    const scoped = await ctx.key(['imports:write'], [A.uai]);
    const refused = await post('/v1/imports', multipart(COMPLETE), scoped);
    t.equal(refused.statusCode, 403, 'a complete is academy-wide: refused at once');
    t.equal(body(refused).code, 'INGEST_ERR_COMPLETE_NOT_ALLOWED');
    const res = await post('/v1/imports?dryRun=false', multipart(DELTA), scoped);
    t.equal(res.statusCode, 202, res.body);
    const { importId } = body<{ importId: number }>(res);
    t.match(await queuedJob(ctx, `submission-${importId}`), {
      dryRun: false,
      scope: { uais: [A.uai] },
    });
    const own = await ctx.get(scoped, `/v1/imports/${importId}`);
    t.equal(own.statusCode, 200, 'the submitter reads its queued import back');
    const other = await ctx.key(['imports:read'], [B.uai]);
    t.equal((await ctx.get(other, `/v1/imports/${importId}`)).statusCode, 404);
  });

  t.test('upload refuses what is not a delivery, unsafe names, no file, wrong type', async (t) => {
    const before = await ctx.db.selectFrom('import_run').select('id').execute();
    const spooled = readdirSync(ctx.config.ingest.uploadDir).length;
    const notAaf = await post('/v1/imports', multipart({ 'notes.xml': '<a/>' }));
    t.equal(notAaf.statusCode, 400, notAaf.body);
    t.match(body(notAaf), { code: /^(AAF|INGEST)_ERR_/ });
    const broken = await post('/v1/imports', multipart({ 'ENT_Complet_20240907.tgz': 'garbage' }));
    t.equal(broken.statusCode, 422, 'a corrupt archive is refused at once');
    t.equal(body(broken).code, 'AAF_ERR_BAD_ARCHIVE');
    const unsafe = await post('/v1/imports', multipart({ '.hidden name;.xml': 'x' }));
    t.equal(unsafe.statusCode, 400);
    t.equal(body(unsafe).code, 'API_ERR_VALIDATION');
    const none = await post('/v1/imports', multipart({}, { dryRun: 'true' }));
    t.equal(none.statusCode, 400);
    const json = await ctx.inject({
      method: 'POST',
      url: '/v1/imports',
      payload: { files: [] },
      headers: auth,
    });
    t.equal(json.statusCode, 415);
    t.equal(body(json).code, 'API_ERR_UNSUPPORTED_MEDIA_TYPE');
    t.equal((await ctx.db.selectFrom('import_run').select('id').execute()).length, before.length);
    t.equal(readdirSync(ctx.config.ingest.uploadDir).length, spooled, 'nothing left in the spool');
  });

  t.test('approve and discard: validated, recorded, queued, 202', async (t) => {
    const res = await post(`/v1/imports/${school.importId}/plans/${B.uai}/approve`);
    t.equal(res.statusCode, 202, res.body);
    t.equal(res.headers.location, `/v1/imports/${school.importId}`);
    const { decisionId } = body<{ decisionId: number }>(res);
    t.match(await queuedJob(ctx, `decision-${decisionId}`), { kind: 'decision', decisionId });
    const again = await post(`/v1/imports/${school.importId}/plans/${B.uai}/discard`);
    t.equal(again.statusCode, 409, 'one pending decision per plan');
    t.equal(body(again).code, 'INGEST_ERR_DECISION_PENDING');
    const notHeld = await post(`/v1/imports/${school.importId}/plans/${A.uai}/discard`);
    t.equal(notHeld.statusCode, 409);
    t.equal(body(notHeld).code, 'API_ERR_PLAN_NOT_HELD');
    const missing = await post(`/v1/imports/${school.importId}/plans/0990099X/discard`);
    t.equal(missing.statusCode, 404);
    const scoped = await ctx.key(['imports:write'], [A.uai]);
    const foreign = await post(
      `/v1/imports/${school.importId}/plans/${B.uai}/discard`,
      undefined,
      scoped,
    );
    t.equal(foreign.statusCode, 404, 'a scoped key cannot decide for another establishment');
    const report = body<{ decisions: unknown[]; plans: { uai: string; status: string }[] }>(
      await ctx.get(writer, `/v1/imports/${school.importId}`),
    );
    t.match(report.decisions, [
      { id: decisionId, uai: B.uai, decision: 'approve', status: 'queued', finishedAt: null },
    ]);
    t.match(report.plans, [{ uai: A.uai }, { uai: B.uai, status: 'held' }], 'still held');
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'status', 'uais'])
      .where('action', 'like', 'plans.%')
      .orderBy('id')
      .execute();
    t.same(
      audit,
      [
        { action: 'plans.approve', status: 202, uais: [B.uai] },
        { action: 'plans.discard', status: 409, uais: [B.uai] },
        { action: 'plans.discard', status: 409, uais: [A.uai] },
        { action: 'plans.discard', status: 404, uais: ['0990099X'] },
        { action: 'plans.discard', status: 404, uais: [B.uai] },
      ],
      'every write attempt is audited with its outcome',
    );
  });
});

t.test('imports: with Redis down the work is stored and answered 202', async (t) => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const deadRedis = new Redis(port, '127.0.0.1', {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => 1000,
  });
  deadRedis.on('error', () => {});
  t.teardown(() => deadRedis.disconnect());
  const base = loadConfig();
  const ctx = await build(t, {
    imports: queueEnqueuer(base, deadRedis, silent, { prefix: 'aaf-test:dead', timeoutMs: 500 }),
  });
  const school = await seedSchool(ctx.db);
  const writer = await ctx.key(['imports:write']);
  const reader = await ctx.key(['imports:read']);
  const form = multipart(COMPLETE);
  const upload = (token?: string) =>
    ctx.inject({
      method: 'POST',
      url: '/v1/imports',
      payload: form.payload,
      headers: { ...form.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
  t.equal((await upload()).statusCode, 401);
  t.equal((await upload(reader)).statusCode, 403, 'imports:read cannot upload');
  const started = Date.now();
  const res = await upload(writer);
  t.equal(res.statusCode, 202, res.body);
  t.ok(Date.now() - started < 5000, 'answered without waiting for Redis');
  const { importId, enqueued } = body<{ importId: number; enqueued: boolean }>(res);
  t.equal(enqueued, false);
  const run = await ctx.db
    .selectFrom('import_run')
    .select('status')
    .where('id', '=', importId)
    .executeTakeFirstOrThrow();
  t.equal(run.status, 'queued', 'the ingester sweep will find it');
  const approve = await ctx.inject({
    method: 'POST',
    url: `/v1/imports/${school.importId}/plans/${B.uai}/approve`,
    headers: { authorization: `Bearer ${writer}` },
  });
  t.equal(approve.statusCode, 202);
  t.equal(body<{ enqueued: boolean }>(approve).enqueued, false);
  const decide = (url: string) =>
    ctx.inject({ method: 'POST', url, headers: { authorization: `Bearer ${writer}` } });
  t.equal((await decide('/v1/imports/1/plans/not-a-uai/approve')).statusCode, 400);
  t.equal((await decide('/v1/imports/0/plans/0990002P/approve')).statusCode, 400);
});
