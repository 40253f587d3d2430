import { eventRowToFeedItem, readChanges, type EventTypeFilter } from '@aaf-sync/directory';
import type { EventEntity, EventOp } from '@aaf-sync/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { assertUaiInScope, audienceOf, scopeOf } from '../../../auth/principal.js';
import { ApiErrors } from '../../../errors.js';
import { pageOf } from '../../../lib/cursor.js';
import { decodeFeedCursor, encodeFeedCursor } from '../../../lib/feed-cursor.js';
import { ChangesPageSchema, ChangesQuerySchema } from '../../../schemas/change.js';
import { problemResponses } from '../../../schemas/problem.js';
import { principalOf } from '../../../types.js';

const RESYNC = {
  snapshot:
    'GET /v1/persons (and the other lists you mirror); keep the feedCursor of the first page',
  then: 'GET /v1/changes?cursor=<feedCursor>, then follow nextCursor',
};

function parseTypes(types: string | undefined): EventTypeFilter[] | undefined {
  return types?.split(',').map((t) => {
    const [entity, op] = t.split('.') as [EventEntity, EventOp | undefined];
    return op ? { entity, op } : { entity };
  });
}

/** GET /v1/changes: the ordered change feed (see the API description for the format). */
const changes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '',
    {
      config: { auth: { anyOf: ['changes:read'] } },
      schema: {
        tags: ['changes'],
        operationId: 'listChanges',
        summary: 'Follow the change feed',
        description:
          'Events after `cursor`, in order, at most `limit`, filtered by `uai` and `types`. ' +
          '`nextCursor` always advances (also past filtered events); `hasMore: false` means the ' +
          'head was reached. A cursor older than the retention answers 410 with a `resync` ' +
          'instruction.',
        querystring: ChangesQuerySchema,
        response: { 200: ChangesPageSchema, ...problemResponses(410) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { cursor, limit } = request.query;
      const uais = request.query.uai?.split(',');
      for (const uai of uais ?? []) assertUaiInScope(principal, uai);
      const fromHead = cursor === 'now';
      const after = fromHead ? Number.MAX_SAFE_INTEGER : cursor ? decodeFeedCursor(cursor) : 0;
      const { rows, position } = await readChanges(app.db, scopeOf(principal), {
        after,
        limit: limit + 1,
        types: parseTypes(request.query.types),
        ...(uais ? { uais } : {}),
      });
      if (!fromHead && (after < position.watermark || after > position.head)) {
        throw ApiErrors.CURSOR_EXPIRED({
          cursor: cursor ?? '(none)',
          watermark: position.watermark,
          resync: RESYNC,
        });
      }
      const { items, more } = pageOf(rows, limit);
      const audience = audienceOf(principal);
      const next = more ? Number(items[items.length - 1]!.seq) : position.head;
      return {
        items: items.map((row) => eventRowToFeedItem(row, audience)),
        nextCursor: encodeFeedCursor(next),
        hasMore: more,
      };
    },
  );
};

export default changes;
