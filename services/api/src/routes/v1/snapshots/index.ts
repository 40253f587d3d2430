import { findStructureByUai } from '@aaf-sync/directory';
import {
  etagMatches,
  readSnapshot,
  snapshotCsv,
  snapshotJson,
  storeReport,
} from '@aaf-sync/webhooks';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, assertUaiInScope, scopeOf } from '../../../auth/principal.js';
import { ApiErrors } from '../../../errors.js';
import { problemResponses } from '../../../schemas/problem.js';
import {
  SnapshotParamsSchema,
  SnapshotQuerySchema,
  SnapshotReportParamsSchema,
  SnapshotReportResultSchema,
  SnapshotReportSchema,
  SnapshotSchema,
} from '../../../schemas/snapshot.js';
import { principalOf } from '../../../types.js';

const AGENT = { auth: { anyOf: ['accounts:read'] } } as const;

/**
 * /v1/snapshots: the complete account list a pedagogical server pulls after a webhook, and the
 * read-back its agent reports. `accounts:read` (personal data); a scoped key: its UAIs only.
 */
const snapshots: FastifyPluginAsyncZod = async (app) => {
  const uaiExists = async (scope: ReturnType<typeof scopeOf>, uai: string) => {
    if (!(await findStructureByUai(app.db, scope, uai)))
      throw ApiErrors.NOT_FOUND({ resource: 'establishment', id: uai });
  };

  app.get(
    '/:uai/:profile',
    {
      config: AGENT,
      schema: {
        tags: ['snapshots'],
        operationId: 'getSnapshot',
        summary: 'Every active account of an establishment and profile, with a manifest',
        description:
          'JSON (default) or CSV (`format=csv` or Accept: text/csv). The manifest (rows, ' +
          'sha256, seq) is in the JSON body and in the X-Snapshot-Rows, X-Snapshot-Sha256 and ' +
          'X-Snapshot-Seq headers. A weak ETag follows the content (not the seq): If-None-Match ' +
          'answers 304 while nothing of this list changed.',
        params: SnapshotParamsSchema,
        querystring: SnapshotQuerySchema,
        produces: ['application/json', 'text/csv'],
        response: {
          200: SnapshotSchema,
          304: z.null().describe('Not modified (If-None-Match).'),
          ...problemResponses(400, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { uai, profile } = request.params;
      assertUaiInScope(principal, uai);
      await uaiExists(scopeOf(principal), uai);
      const namespace = request.query.namespace ?? app.config.identifiers.namespaces[0] ?? 'scribe';
      const csv =
        request.query.format === 'csv' ||
        (request.query.format === undefined &&
          /\btext\/csv\b/.test(String(request.headers.accept ?? '')));
      const { items, seq } = await readSnapshot(app.db, uai, profile, namespace);
      const meta = { uai, profile, namespace, seq, at: new Date() };
      const rep = csv ? snapshotCsv(meta, items) : snapshotJson(meta, items);
      reply
        .header('etag', rep.etag)
        .header('cache-control', 'private, no-cache')
        .header('vary', 'accept')
        .header('x-snapshot-rows', String(rep.manifest.rows))
        .header('x-snapshot-sha256', rep.manifest.sha256)
        .header('x-snapshot-seq', String(rep.manifest.seq));
      if (etagMatches(request.headers['if-none-match'], rep.etag))
        return reply.code(304).send(null);
      // The exact text the manifest hashes, sent as is (a string payload skips the serializer).
      return reply
        .type(csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .send(rep.body as never);
    },
  );

  app.post(
    '/:uai/reports',
    {
      config: { ...AGENT, audit: 'snapshots.report' },
      schema: {
        tags: ['snapshots'],
        operationId: 'reportSnapshot',
        summary: 'The agent’s read-back: login, home path and status per account',
        description:
          'One row per reporter and account, replaced by the next report; shown in the account ' +
          'status (`serverReports`). Ids that are not accounts of the establishment are ' +
          'answered back in `unknown` and not stored.',
        params: SnapshotReportParamsSchema,
        body: SnapshotReportSchema,
        response: { 200: SnapshotReportResultSchema, ...problemResponses(400, 403, 404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { uai } = request.params;
      assertUaiInScope(principal, uai);
      await uaiExists(scopeOf(principal), uai);
      const report = request.body;
      request.auditDetails = {
        uai,
        reporter: report.reporter,
        items: report.items.length,
        by: actorOf(principal),
      };
      return storeReport(app.db, uai, report);
    },
  );
};

export default snapshots;
