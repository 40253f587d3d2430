import { koxoReadBackReport } from '@aaf-sync/koxo';
import { TargetsErrors } from '@aaf-sync/targets';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { assertUaiInScope } from '../../../auth/principal.js';
import { problemResponses } from '../../../schemas/problem.js';
import { KoxoReadBackQuerySchema, KoxoReadBackReportSchema } from '../../../schemas/koxo-file.js';
import { TargetParamsSchema } from '../../../schemas/target.js';
import { principalOf } from '../../../types.js';
import { koxoTargetFor } from './koxo-files.js';

/** Personal data of the establishment's accounts: admin, or accounts:read for its own UAIs. */
const READ = { auth: { anyOf: ['admin', 'accounts:read'] } } as const;

/** GET /v1/targets/{name}/readback: the KoXo read-back report (runs: CLI and targets process). */
export const koxoReadBack: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/:name/readback',
    {
      config: READ,
      schema: {
        tags: ['targets'],
        operationId: 'getKoxoReadBack',
        summary: 'What the KoXo site’s Active Directory holds for the target’s accounts',
        description:
          'Per establishment, from the last successful read-back: accounts KoXo named ' +
          'differently from our login, accounts still missing after `missingAfterSyncs` runs, ' +
          'accounts deleted instead of disabled, disabled accounts, and AD entries carrying an ' +
          'employeeNumber the directory does not know. `lastRun` says when the AD was last ' +
          'read and why it failed. An establishment key sees its own establishments only.',
        params: TargetParamsSchema,
        querystring: KoxoReadBackQuerySchema,
        response: { 200: KoxoReadBackReportSchema, ...problemResponses(403, 404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { uai } = request.query;
      assertUaiInScope(principal, uai);
      const { row, uais } = await koxoTargetFor(app, principal, request.params.name);
      if (uai !== undefined && !row.uais.includes(uai)) {
        throw TargetsErrors.NOT_FOUND({ name: request.params.name });
      }
      const target = { id: Number(row.id), name: row.name, uais: row.uais, options: row.options };
      return koxoReadBackReport(app.db, target, uai !== undefined ? [uai] : uais);
    },
  );
};
