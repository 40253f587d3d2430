import { findStructureByUai } from '@aaf-sync/directory';
import { yearTransitionReport } from '@aaf-sync/groups';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { scopeOf } from '../../../auth/principal.js';
import { ApiErrors } from '../../../errors.js';
import { UaiParamsSchema } from '../../../schemas/establishment.js';
import { problemResponses } from '../../../schemas/problem.js';
import {
  YearTransitionQuerySchema,
  YearTransitionReportSchema,
} from '../../../schemas/year-transition.js';
import { principalOf } from '../../../types.js';

/**
 * GET /v1/establishments/{uai}/year-transition: what the year transition did once the
 * initialisation complete of the new year was applied (classes and groups closed) and what it
 * suspects (year-N leftovers, classes referenced only by teachers). 404 until it has run.
 */
const yearTransition: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/:uai/year-transition',
    {
      config: { auth: { anyOf: ['directory:read'] } },
      schema: {
        tags: ['calendar'],
        operationId: 'getEstablishmentYearTransition',
        summary: 'Year transition report of one establishment: closed classes, leftovers',
        params: UaiParamsSchema,
        querystring: YearTransitionQuerySchema,
        response: { 200: YearTransitionReportSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const { uai } = request.params;
      const row = await findStructureByUai(app.db, scopeOf(principalOf(request)), uai);
      if (!row) throw ApiErrors.NOT_FOUND({ resource: 'establishment', id: uai });
      const report = await yearTransitionReport(app.db, uai, request.query.schoolYear);
      if (!report) throw ApiErrors.NOT_FOUND({ resource: 'year transition', id: uai });
      return report;
    },
  );
};

export default yearTransition;
