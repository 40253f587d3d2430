import {
  clearBlockingOverride,
  establishmentBlocking,
  requireCalendar,
  setBlockingOverride,
  type EstablishmentBlocking,
} from '@aaf-sync/calendar-store';
import { syncAccessBlocks } from '@aaf-sync/account-lifecycle';
import { findStructureByUai } from '@aaf-sync/directory';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, assertUaiInScope, scopeOf, type Principal } from '../../../auth/principal.js';
import { ApiErrors } from '../../../errors.js';
import { parseCalendarWhen } from '../../../lib/calendar-when.js';
import { BlockingPutSchema, EstablishmentBlockingSchema } from '../../../schemas/calendar.js';
import { UaiParamsSchema } from '../../../schemas/establishment.js';
import { problemResponses } from '../../../schemas/problem.js';
import { principalOf } from '../../../types.js';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function blockingView(b: EstablishmentBlocking) {
  return {
    uai: b.uai,
    calendarVersion: b.calendarVersion,
    override: b.override
      ? {
          start: iso(b.override.start),
          end: iso(b.override.end),
          message: b.override.message ?? null,
          calendarVersion: b.override.calendarVersion,
          changedBy: b.override.changedBy,
          changedAt: b.override.changedAt.toISOString(),
        }
      : null,
    profiles: b.profiles.map((p) => ({ ...p, from: iso(p.from), until: iso(p.until) })),
  };
}

/**
 * /v1/establishments/{uai}/blocking: the rentrée blocking of one establishment (blocked / until /
 * why per profile) and its principal's override: lift early, shorten, extend, change the message,
 * within the limits of the académie calendar. Writing takes an admin key of that establishment
 * (or an académie-wide one); a key of another establishment gets 403 API_ERR_OUT_OF_SCOPE.
 */
const blocking: FastifyPluginAsyncZod = async (app) => {
  async function establishment(principal: Principal, uai: string) {
    assertUaiInScope(principal, uai);
    const row = await findStructureByUai(app.db, scopeOf(principal), uai);
    if (!row) throw ApiErrors.NOT_FOUND({ resource: 'establishment', id: uai });
  }

  app.get(
    '/:uai/blocking',
    {
      config: { auth: { anyOf: ['directory:read', 'accounts:read'] } },
      schema: {
        tags: ['calendar'],
        operationId: 'getEstablishmentBlocking',
        summary: 'Rentrée blocking in one establishment: blocked / until / why per profile',
        params: UaiParamsSchema,
        response: { 200: EstablishmentBlockingSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      await establishment(principalOf(request), request.params.uai);
      return blockingView(await establishmentBlocking(app.db, request.params.uai, app.clock.now()));
    },
  );

  app.put(
    '/:uai/blocking',
    {
      config: { auth: { anyOf: ['admin'] }, audit: 'calendar.blocking.set' },
      schema: {
        tags: ['calendar'],
        operationId: 'putEstablishmentBlocking',
        summary: "The principal's override of the rentrée blocking (within the académie limits)",
        description:
          'Replaces the establishment override. An earlier `end` lifts the blocking early (`now` ' +
          'at once), a later one extends it; `start` moves its start; `message` replaces the ' +
          'académie message. The change applies at once to the accounts of the establishment ' +
          '(`person.updated` events with `accessBlocked`; targets disable or re-enable them). ' +
          'Outside the limits of the calendar: 422 with the broken limit ' +
          '(CALENDAR_ERR_BLOCKING_END_TOO_EARLY, …_TOO_LATE, …_START_OUTSIDE_LIMITS, ' +
          'CALENDAR_ERR_MESSAGE_LOCKED, …_TOO_LONG); nothing is stored.',
        params: UaiParamsSchema,
        body: BlockingPutSchema,
        response: {
          200: EstablishmentBlockingSchema,
          ...problemResponses(400, 403, 404, 409, 422),
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { uai } = request.params;
      await establishment(principal, uai);
      const calendar = await requireCalendar(app.db);
      const now = app.clock.now();
      const tz = calendar.document.timeZone;
      const body = request.body;
      const override = {
        start: body.start === undefined ? null : parseCalendarWhen(body.start, 'start', tz, now),
        end: body.end === undefined ? null : parseCalendarWhen(body.end, 'end', tz, now),
        message: body.message ?? null,
      };
      request.auditDetails = {
        start: iso(override.start),
        end: iso(override.end),
        message: override.message,
      };
      await setBlockingOverride(app.db, uai, override, actorOf(principal));
      // At once for this establishment: an early end reopens its accounts now (events, targets).
      await syncAccessBlocks(app.db, { at: now, uais: [uai], actor: actorOf(principal) });
      return blockingView(await establishmentBlocking(app.db, uai, now));
    },
  );

  app.delete(
    '/:uai/blocking',
    {
      config: { auth: { anyOf: ['admin'] }, audit: 'calendar.blocking.clear' },
      schema: {
        tags: ['calendar'],
        operationId: 'deleteEstablishmentBlocking',
        summary: "Remove the establishment's override (back to the académie dates)",
        params: UaiParamsSchema,
        response: {
          204: z.null().describe('Removed (or there was none).'),
          ...problemResponses(403, 404),
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      await establishment(principal, request.params.uai);
      await clearBlockingOverride(app.db, request.params.uai);
      await syncAccessBlocks(app.db, {
        at: app.clock.now(),
        uais: [request.params.uai],
        actor: actorOf(principal),
      });
      return reply.code(204).send(null);
    },
  );
};

export default blocking;
