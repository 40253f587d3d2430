import { Readable } from 'node:stream';
import fastifyMultipart from '@fastify/multipart';
import { REJECT_DETAIL_COLUMNS } from '@aaf-sync/db';
import {
  findImport,
  findImportPlan,
  importFileRowToView,
  importPlanRowToView,
  importRunRowToView,
  listImportFiles,
  listImportPlans,
  listImports,
  listRejects,
  listWarnings,
  rejectRowToView,
  warningRowToView,
  type RejectFilter,
  type Scope,
  type WarningFilter,
} from '@aaf-sync/directory';
import {
  ImportReportSchema as EngineReportSchema,
  importWarnings,
  listDecisions,
  requestDecision,
  submitUpload,
  type ImportJob,
} from '@aaf-sync/ingest';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, assertUaiInScope, scopeOf } from '../../../auth/principal.js';
import { ApiErrors } from '../../../errors.js';
import { cursorInt, decodeCursor, keysetPage } from '../../../lib/cursor.js';
import { csvLine } from '../../../lib/csv.js';
import { saveUpload, UPLOAD_LIMITS } from '../../../lib/upload.js';
import {
  ImportIdParamsSchema,
  ImportReportSchema,
  ImportsPageSchema,
  ImportsQuerySchema,
  PlanParamsSchema,
  RejectsCsvQuerySchema,
  RejectsPageSchema,
  RejectsQuerySchema,
  DecisionAcceptedSchema,
  SubmitAcceptedSchema,
  SubmitQuerySchema,
  WarningsPageSchema,
  WarningsQuerySchema,
} from '../../../schemas/import.js';
import { problemResponses } from '../../../schemas/problem.js';
import { principalOf } from '../../../types.js';

const READ = { auth: { anyOf: ['imports:read', 'imports:write'] } } as const;
const CSV_COLUMNS = ['id', ...REJECT_DETAIL_COLUMNS] as const;

/**
 * The engine's report as stored on the run, checked against its schema: a report written by an
 * earlier version in another shape is answered as null and logged (never a 500).
 */
function storedSummary(
  request: FastifyRequest,
  importId: number,
  stored: Record<string, unknown> | null,
): z.infer<typeof EngineReportSchema> | null {
  if (stored === null) return null;
  const parsed = EngineReportSchema.safeParse(stored);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  request.log.warn(
    { importId, path: issue?.path.join('.'), message: issue?.message },
    'stored import report does not match the current schema; answered as null',
  );
  return null;
}

/** /v1/imports: upload a delivery, list imports, reports, rejects, decide held plans. */
const imports: FastifyPluginAsyncZod = async (app) => {
  await app.register(fastifyMultipart, { limits: UPLOAD_LIMITS, throwFileSizeLimit: true });

  /** The work is in PostgreSQL already: a queue that does not answer only delays it. */
  async function enqueue(job: ImportJob, log: FastifyBaseLogger): Promise<boolean> {
    if (!app.importQueue) return false;
    try {
      await app.importQueue.enqueue(job);
      return true;
    } catch (err) {
      log.warn({ err }, 'import job not enqueued: the ingester will find it in PostgreSQL');
      return false;
    }
  }

  async function importInScope(scope: Scope, id: number) {
    const run = await findImport(app.db, scope, id);
    if (!run) throw ApiErrors.NOT_FOUND({ resource: 'import', id });
    return run;
  }

  app.post(
    '',
    {
      config: { auth: { anyOf: ['imports:write'] }, audit: 'imports.submit' },
      schema: {
        tags: ['imports'],
        operationId: 'submitImport',
        summary: 'Upload an AAF delivery (files, .tgz or .zip); the ingester imports it',
        description:
          'multipart/form-data with one or more files (field name free) and optionally a field ' +
          '`dryRun`. The files are checked (AAF file names, readable archive), stored, and one ' +
          'import per delivery they hold is queued; the answer is 202 with a `Location` to poll ' +
          '(`GET /v1/imports/{id}`: status, progress, then the report). Nothing runs in the API.',
        consumes: ['multipart/form-data'],
        querystring: SubmitQuerySchema,
        response: { 202: SubmitAcceptedSchema, ...problemResponses(400, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (!request.isMultipart()) {
        throw ApiErrors.UNSUPPORTED_MEDIA_TYPE({ reason: 'send the files as multipart/form-data' });
      }
      const upload = await saveUpload(request);
      try {
        const dryRun = (upload.fields.dryRun ?? request.query.dryRun) === 'true';
        request.auditDetails = { dryRun, files: upload.names };
        const { job, runs } = await submitUpload(app.db, app.config.ingest.uploadDir, {
          paths: upload.paths,
          dryRun,
          actor: actorOf(principal),
          scope: { uais: principal.uais },
          source: 'api',
          limits: app.config.aafLimits,
          receivedAt: app.clock.now(),
        });
        request.auditDetails = { dryRun, files: upload.names, importIds: job.importIds };
        const queued = await enqueue(job, request.log);
        const first = runs[0]!;
        void reply.code(202).header('location', `/v1/imports/${first.importId}`);
        return {
          importId: first.importId,
          status: 'queued' as const,
          enqueued: queued,
          imports: runs.map((r) => ({ id: r.importId, deliveryName: r.deliveryName })),
        };
      } finally {
        await upload.cleanup();
      }
    },
  );

  app.get(
    '',
    {
      config: READ,
      schema: {
        tags: ['imports'],
        operationId: 'listImports',
        summary: 'List imports, newest first',
        querystring: ImportsQuerySchema,
        response: { 200: ImportsPageSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const q = request.query;
      const before = q.cursor ? cursorInt(decodeCursor('imports', q.cursor), 'b', 'imports') : null;
      const rows = await listImports(
        app.db,
        scopeOf(principal),
        { ...(q.status ? { status: q.status } : {}), ...(q.kind ? { kind: q.kind } : {}) },
        { after: before, limit: q.limit + 1 },
      );
      const page = keysetPage(rows, q.limit, 'imports', (last) => ({ b: Number(last.id) }));
      return { items: page.items.map(importRunRowToView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/:id',
    {
      config: READ,
      schema: {
        tags: ['imports'],
        operationId: 'getImport',
        summary: 'Import report: the run, its files, its establishment plans, the engine summary',
        params: ImportIdParamsSchema,
        response: { 200: ImportReportSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const scope = scopeOf(principal);
      const run = await importInScope(scope, request.params.id);
      const [files, plans, decisions, warned] = await Promise.all([
        listImportFiles(app.db, run.id),
        listImportPlans(app.db, scope, run.id),
        listDecisions(app.db, run.id, scope.uais),
        importWarnings(app.db, run.id, scope.uais, 1000),
      ]);
      return {
        import: importRunRowToView(run),
        summary: scope.uais === null ? storedSummary(request, run.id, run.summary) : null,
        files: files.map(importFileRowToView),
        plans: plans.map(importPlanRowToView),
        decisions,
        warnings: warned.warnings,
        warningsTruncated: warned.truncated,
      };
    },
  );

  app.get(
    '/:id/rejects',
    {
      config: READ,
      schema: {
        tags: ['imports'],
        operationId: 'listRejects',
        summary: 'Rejected records of an import, by establishment and reason code',
        params: ImportIdParamsSchema,
        querystring: RejectsQuerySchema,
        response: { 200: RejectsPageSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const scope = scopeOf(principal);
      const q = request.query;
      assertUaiInScope(principal, q.uai);
      const run = await importInScope(scope, request.params.id);
      const after = q.cursor ? cursorInt(decodeCursor('rejects', q.cursor), 'a', 'rejects') : null;
      const filter: RejectFilter = {
        ...(q.uai ? { uai: q.uai } : {}),
        ...(q.code ? { code: q.code } : {}),
      };
      const rows = await listRejects(app.db, scope, run.id, filter, { after, limit: q.limit + 1 });
      const page = keysetPage(rows, q.limit, 'rejects', (last) => ({ a: Number(last.id) }));
      return { items: page.items.map(rejectRowToView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/:id/warnings',
    {
      config: READ,
      schema: {
        tags: ['imports'],
        operationId: 'listWarnings',
        summary: 'Data-quality warnings of an import (records kept), every one, page by page',
        description:
          'The import report lists the first 1,000 warnings with their counts by code; this ' +
          'lists them all (e.g. every relative linked to no pupil, every reference to an ' +
          'unknown structure), by establishment and code.',
        params: ImportIdParamsSchema,
        querystring: WarningsQuerySchema,
        response: { 200: WarningsPageSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const scope = scopeOf(principal);
      const q = request.query;
      assertUaiInScope(principal, q.uai);
      const run = await importInScope(scope, request.params.id);
      const after = q.cursor
        ? cursorInt(decodeCursor('warnings', q.cursor), 'a', 'warnings')
        : null;
      const filter: WarningFilter = {
        ...(q.uai ? { uai: q.uai } : {}),
        ...(q.code ? { code: q.code } : {}),
      };
      const rows = await listWarnings(app.db, scope, run.id, filter, { after, limit: q.limit + 1 });
      const page = keysetPage(rows, q.limit, 'warnings', (last) => ({ a: Number(last.id) }));
      return { items: page.items.map(warningRowToView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/:id/rejects.csv',
    {
      config: READ,
      schema: {
        tags: ['imports'],
        operationId: 'downloadRejects',
        summary: 'Rejected records of an import as CSV',
        params: ImportIdParamsSchema,
        querystring: RejectsCsvQuerySchema,
        produces: ['text/csv'],
        response: {
          200: {
            description: 'CSV (RFC 4180, UTF-8, header line), one reject per line.',
            content: { 'text/csv': { schema: z.string() } },
          },
          ...problemResponses(404),
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const scope = scopeOf(principal);
      const q = request.query;
      assertUaiInScope(principal, q.uai);
      const run = await importInScope(scope, request.params.id);
      const filter: RejectFilter = {
        ...(q.uai ? { uai: q.uai } : {}),
        ...(q.code ? { code: q.code } : {}),
      };
      const db = app.db;
      async function* lines() {
        yield csvLine(CSV_COLUMNS);
        let after: number | null = null;
        for (;;) {
          const rows = await listRejects(db, scope, run.id, filter, { after, limit: 1000 });
          for (const r of rows) yield csvLine(CSV_COLUMNS.map((c) => r[c]));
          if (rows.length < 1000) return;
          after = Number(rows[rows.length - 1]!.id);
        }
      }
      return (
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="import-${run.id}-rejects.csv"`)
          // A stream is sent as is (no serializer); the schema above documents its content.
          .send(Readable.from(lines()) as unknown as string)
      );
    },
  );

  for (const decision of ['approve', 'discard'] as const) {
    app.post(
      `/:id/plans/:uai/${decision}`,
      {
        config: { auth: { anyOf: ['imports:write'] }, audit: `plans.${decision}` },
        schema: {
          tags: ['imports'],
          operationId: `${decision}Plan`,
          summary:
            decision === 'approve'
              ? 'Approve a held establishment plan (the ingester applies it)'
              : 'Discard a held establishment plan (nothing of it is applied)',
          description:
            'The request is recorded and queued; the answer is 202 with the `Location` of the ' +
            'import, whose `decisions` and plan status tell the outcome.',
          params: PlanParamsSchema,
          response: { 202: DecisionAcceptedSchema, ...problemResponses(404, 409) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { id, uai } = request.params;
        const plan = await findImportPlan(app.db, scopeOf(principal), id, uai);
        if (!plan) throw ApiErrors.NOT_FOUND({ resource: 'plan', id: `${id}/${uai}` });
        if (plan.status !== 'held') {
          throw ApiErrors.PLAN_NOT_HELD({ importId: id, uai, status: plan.status });
        }
        const job = await requestDecision(app.db, {
          importId: id,
          uai,
          decision,
          actor: actorOf(principal),
        });
        request.auditDetails = { decisionId: job.decisionId };
        const queued = await enqueue(job, request.log);
        void reply.code(202).header('location', `/v1/imports/${id}`);
        return { decisionId: job.decisionId, status: 'queued' as const, enqueued: queued };
      },
    );
  }
};

export default imports;
