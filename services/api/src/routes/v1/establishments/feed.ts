import { establishmentFeed } from '@aaf-sync/calendar-store';
import { findStructureByUai } from '@aaf-sync/directory';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { scopeOf } from '../../../auth/principal.js';
import { ApiErrors } from '../../../errors.js';
import { EstablishmentFeedSchema } from '../../../schemas/calendar.js';
import { UaiParamsSchema } from '../../../schemas/establishment.js';
import { problemResponses } from '../../../schemas/problem.js';
import { principalOf } from '../../../types.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * GET /v1/establishments/{uai}/feed: where the establishment's feed stands in the calendar, for
 * the directory, every target kind and each target serving it: off (summer suspension), waiting
 * for the initialisation complete, or open.
 */
const feed: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/:uai/feed',
    {
      config: { auth: { anyOf: ['directory:read', 'changes:read'] } },
      schema: {
        tags: ['calendar'],
        operationId: 'getEstablishmentFeed',
        summary: 'Feed state of one establishment: off / waiting for the initialisation / open',
        params: UaiParamsSchema,
        response: { 200: EstablishmentFeedSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const { uai } = request.params;
      const row = await findStructureByUai(app.db, scopeOf(principalOf(request)), uai);
      if (!row) throw ApiErrors.NOT_FOUND({ resource: 'establishment', id: uai });
      const at = app.clock.now();
      const f = await establishmentFeed(app.db, uai, at);
      return {
        uai,
        at: at.toISOString(),
        calendarVersion: f.calendarVersion,
        initialisationAppliedAt: iso(f.initialisationAppliedAt),
        consumers: f.consumers.map((c) => ({
          consumer: c.consumer,
          state: c.state,
          since: iso(c.since),
          until: iso(c.until),
          reason: c.reason,
          window: { ...c.window },
        })),
      };
    },
  );
};

export default feed;
