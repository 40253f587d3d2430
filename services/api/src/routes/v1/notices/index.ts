import { listNotices, markNoticeRead, type NoticeView } from '@aaf-sync/scheduler';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../../auth/principal.js';
import { cursorInt, decodeCursor, keysetPage } from '../../../lib/cursor.js';
import {
  NoticeIdParamsSchema,
  NoticeReadQuerySchema,
  NoticeSchema,
  NoticesPageSchema,
  NoticesQuerySchema,
} from '../../../schemas/notice.js';
import { problemResponses } from '../../../schemas/problem.js';
import { principalOf } from '../../../types.js';

const READ = { auth: { anyOf: ['directory:read', 'changes:read'] } } as const;

function view(n: NoticeView) {
  return {
    ...n,
    uais: [...n.uais],
    managers: n.managers ? [...n.managers] : null,
    data: { ...n.data },
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt ? n.readAt.toISOString() : null,
  };
}

/** Who reads: a manager's inbox has its own read marks, else the API key. */
function readerOf(principal: Parameters<typeof actorOf>[0], manager: number | undefined): string {
  return manager === undefined ? actorOf(principal) : `manager:${manager}`;
}

/**
 * /v1/notices: the inbox of the notices the calendar sends (missing files, group warnings and
 * summaries, campaign previews…), also announced as `notice.created` events. An
 * establishment-scoped key reads the notices of its establishments only.
 */
const notices: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '',
    {
      config: READ,
      schema: {
        tags: ['notices'],
        operationId: 'listNotices',
        summary: 'Notices, newest first (an inbox; `manager=` for a manager)',
        description:
          'Every notice for an académie-wide key; an establishment-scoped key gets the notices ' +
          "naming one of its establishments. `manager=<personId>` narrows to that manager's " +
          'inbox (its read marks are its own). Each notice is also a `notice.created` event of ' +
          'the change feed (and a webhook).',
        querystring: NoticesQuerySchema,
        response: { 200: NoticesPageSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const q = request.query;
      const before = q.cursor
        ? cursorInt(decodeCursor('notices', q.cursor), 'b', 'notices')
        : undefined;
      const rows = await listNotices(app.db, {
        uais: principal.uais,
        manager: q.manager,
        kind: q.kind,
        reader: readerOf(principal, q.manager),
        unreadOnly: q.unread,
        before,
        limit: q.limit,
      });
      const page = keysetPage(rows, q.limit, 'notices', (last) => ({ b: last.id }));
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/:id/read',
    {
      config: { ...READ, audit: 'notices.read' },
      schema: {
        tags: ['notices'],
        operationId: 'markNoticeRead',
        summary: 'Mark a notice read (for this key, or for `manager=`)',
        description:
          'Idempotent: the first reading time is kept. 404 when the notice does not exist or ' +
          'concerns none of the establishments of a scoped key.',
        params: NoticeIdParamsSchema,
        querystring: NoticeReadQuerySchema,
        response: { 200: NoticeSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { manager } = request.query;
      const n = await markNoticeRead(app.db, request.params.id, {
        reader: readerOf(principal, manager),
        uais: principal.uais,
        manager,
      });
      request.auditDetails = { notice: n.id, ...(manager ? { manager } : {}) };
      return view(n);
    },
  );
};

export default notices;
