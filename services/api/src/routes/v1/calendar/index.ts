import { syncAccessBlocks } from '@aaf-sync/account-lifecycle';
import { CalendarErrors, type Transition } from '@aaf-sync/calendar';
import {
  deliveryReport,
  listCalendarVersions,
  loadCalendarVersion,
  requireCalendar,
  saveCalendar,
  upcomingTransitions,
} from '@aaf-sync/calendar-store';
import { listTransitionRows } from '@aaf-sync/scheduler';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../../auth/principal.js';
import { ApiErrors } from '../../../errors.js';
import {
  CalendarPutSchema,
  CalendarQuerySchema,
  CalendarSavedSchema,
  CalendarSchema,
  CalendarVersionsQuerySchema,
  CalendarVersionsSchema,
  DeliveriesQuerySchema,
  DeliveriesSchema,
  TransitionLogQuerySchema,
  TransitionLogSchema,
  UpcomingQuerySchema,
  UpcomingSchema,
} from '../../../schemas/calendar.js';
import { problemResponses } from '../../../schemas/problem.js';
import { principalOf } from '../../../types.js';

const ADMIN = { auth: { anyOf: ['admin'] } } as const;
const DAY_MS = 86_400_000;

/** The problem `errors` of an invalid document: one per issue, under `body.document`. */
function withProblemItems(err: unknown): unknown {
  if (!CalendarErrors.INVALID_DOCUMENT.is(err)) return err;
  const issues = err.details.issues as { path: string; message: string }[];
  return CalendarErrors.INVALID_DOCUMENT({
    summary: err.details.summary,
    issues,
    errors: issues.map((i) => ({ in: 'body', path: `document.${i.path}`, message: i.message })),
  });
}

export function transitionView(t: Transition) {
  return {
    id: t.id,
    at: t.at.toISOString(),
    type: t.type,
    scope: {
      consumer: t.scope.consumer,
      target: t.scope.target,
      uai: t.scope.uai,
      exceptUais: t.scope.exceptUais ? [...t.scope.exceptUais] : undefined,
      exceptTargets: t.scope.exceptTargets ? [...t.scope.exceptTargets] : undefined,
    },
    summary: t.summary,
    details: { ...t.details },
  };
}

/**
 * /v1/calendar: the school-year calendar document (admin; only an académie-wide key may change
 * it), its versions, and what it will do next (any reader; an establishment-scoped key sees what
 * concerns its establishments). Nothing here runs a transition: the scheduler will.
 */
const calendar: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '',
    {
      config: ADMIN,
      schema: {
        tags: ['calendar'],
        operationId: 'getCalendar',
        summary: 'The calendar document (current version, or an older one)',
        querystring: CalendarQuerySchema,
        response: { 200: CalendarSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const { version } = request.query;
      const stored =
        version === undefined
          ? await requireCalendar(app.db)
          : await loadCalendarVersion(app.db, version);
      if (!stored) throw ApiErrors.NOT_FOUND({ resource: 'calendar version', id: version });
      return {
        version: stored.version,
        changedBy: stored.changedBy,
        changedAt: stored.changedAt.toISOString(),
        comment: stored.comment,
        document: stored.document,
      };
    },
  );

  app.put(
    '',
    {
      config: { ...ADMIN, audit: 'calendar.update' },
      schema: {
        tags: ['calendar'],
        operationId: 'putCalendar',
        summary: 'Store a new version of the calendar document',
        description:
          'Validates the whole document (400 CALENDAR_ERR_INVALID_DOCUMENT lists every problem) and ' +
          'stores it as the next version with who sent it and what it changed. Only an ' +
          'académie-wide admin key may do it (an establishment-scoped one gets 403).',
        body: CalendarPutSchema,
        response: { 200: CalendarSavedSchema, ...problemResponses(400, 403, 409) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      if (principal.uais !== null) {
        throw ApiErrors.FORBIDDEN({ scopes: 'admin (for every establishment)' });
      }
      const { document, expectedVersion, comment } = request.body;
      try {
        const saved = await saveCalendar(app.db, {
          document,
          actor: actorOf(principal),
          expectedVersion,
          comment,
        });
        // The rentrée blocking follows the new document at once (accounts blocked or reopened).
        if (saved.stored) {
          await syncAccessBlocks(app.db, { at: app.clock.now(), actor: actorOf(principal) });
        }
        request.auditDetails = {
          version: saved.version,
          stored: saved.stored,
          changed: saved.changes.slice(0, 50).map((c) => c.path),
        };
        return {
          ...saved,
          changes: [...saved.changes],
          overridesOutsideLimits: [...saved.overridesOutsideLimits],
        };
      } catch (err) {
        throw withProblemItems(err);
      }
    },
  );

  app.get(
    '/versions',
    {
      config: ADMIN,
      schema: {
        tags: ['calendar'],
        operationId: 'listCalendarVersions',
        summary: 'Versions of the calendar, newest first: who changed what, when',
        querystring: CalendarVersionsQuerySchema,
        response: { 200: CalendarVersionsSchema },
      },
    },
    async (request) => {
      const items = await listCalendarVersions(app.db, request.query);
      return {
        items: items.map((v) => ({
          ...v,
          changedAt: v.changedAt.toISOString(),
          changes: [...v.changes],
        })),
      };
    },
  );

  app.get(
    '/transitions',
    {
      config: ADMIN,
      schema: {
        tags: ['calendar'],
        operationId: 'calendarTransitionLog',
        summary: 'What the scheduler ran: the transition log, newest due first',
        description:
          'One item per transition the scheduler ran (`doneAt`, `outcome`) or tried (`attempts`, ' +
          '`lastError`, `nextAttemptAt`: retried with backoff). `failing=true`: only those.',
        querystring: TransitionLogQuerySchema,
        response: { 200: TransitionLogSchema },
      },
    },
    async (request) => {
      const rows = await listTransitionRows(app.db, request.query.limit, request.query.failing);
      const iso = (d: Date | null) => (d ? d.toISOString() : null);
      return {
        items: rows.map((r) => ({
          id: r.id,
          type: r.type as Transition['type'],
          dueAt: r.due_at.toISOString(),
          calendarVersion: r.calendar_version,
          startedAt: iso(r.started_at),
          doneAt: iso(r.done_at),
          outcome: r.outcome,
          attempts: r.attempts,
          lastError: r.last_error,
          nextAttemptAt: iso(r.next_attempt_at),
        })),
      };
    },
  );

  app.get(
    '/upcoming',
    {
      config: { auth: { anyOf: ['directory:read', 'changes:read'] } },
      schema: {
        tags: ['calendar'],
        operationId: 'upcomingCalendar',
        summary: 'What the calendar will do in the coming days, per target kind and establishment',
        description:
          'The transitions of the next `days` days, in order: feed suspensions and resumptions ' +
          '(directory, target kinds, named targets), the initialisation complete, the rentrée ' +
          'blocking (with establishment overrides), campaigns, group notices, retention and the ' +
          'deadlines of the expected AAF files. An establishment-scoped key sees what concerns ' +
          'its establishments. The scheduler process runs each transition when due.',
        querystring: UpcomingQuerySchema,
        response: { 200: UpcomingSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const now = app.clock.now();
      const to = new Date(now.getTime() + request.query.days * DAY_MS);
      const upcoming = await upcomingTransitions(app.db, {
        from: now,
        to,
        uais: principalOf(request).uais,
        deliveries: request.query.deliveries,
      });
      return {
        calendarVersion: upcoming.calendarVersion,
        schoolYear: upcoming.schoolYear,
        timeZone: upcoming.timeZone,
        from: upcoming.from.toISOString(),
        to: upcoming.to.toISOString(),
        transitions: upcoming.transitions.map(transitionView),
      };
    },
  );

  app.get(
    '/deliveries',
    {
      config: { auth: { anyOf: ['imports:read', 'imports:write'] } },
      schema: {
        tags: ['calendar'],
        operationId: 'calendarDeliveries',
        summary: 'AAF files the calendar expected over the last days: received, or missing',
        description:
          'Deltas and completes expected per the delivery cadence (public holidays and the summer ' +
          'suspension honoured), each marked received (an import run exists for its kind and ' +
          'date, whatever its outcome) or missing (not received and past its deadline). The ' +
          'scheduler also alerts a missing file with a `delivery.missing` notice (GET /v1/notices).',
        querystring: DeliveriesQuerySchema,
        response: { 200: DeliveriesSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const at = app.clock.now();
      const from = new Date(at.getTime() - request.query.days * DAY_MS);
      const report = await deliveryReport(app.db, { from, to: at, at });
      return {
        calendarVersion: report.calendarVersion,
        from: from.toISOString(),
        to: at.toISOString(),
        missing: report.items.filter((i) => i.missing).length,
        items: report.items.map((i) => ({ ...i, deadline: i.deadline.toISOString() })),
      };
    },
  );
};

export default calendar;
