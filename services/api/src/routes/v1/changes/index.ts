import {
  feedCursorExpired,
  feedTypeMatches,
  nextFeedSeq,
  projectFeedPage,
  readChanges,
  readerFor,
  type EventTypeFilter,
  type FeedOp,
} from '@aaf-sync/directory';
import type { EventEntity } from '@aaf-sync/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { assertUaiInScope, audienceOf, scopeOf } from '../../../auth/principal.js';
import { ApiErrors } from '../../../errors.js';
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
    const [entity, op] = t.split('.') as [EventEntity, FeedOp | undefined];
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
          'instruction. An establishment-scoped key reads each event built for its ' +
          'establishments: other establishments removed, updates that only touched them ' +
          'skipped (a page can be empty while `hasMore` is true), `person.left` when a ' +
          'person leaves all of its establishments, `person.entered` (with the current record) ' +
          'when one comes in from elsewhere.',
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
      const scope = scopeOf(principal);
      const types = parseTypes(request.query.types);
      const [{ rows, position }, reader] = await Promise.all([
        readChanges(app.db, scope, {
          after,
          limit: limit + 1,
          ...(types ? { types } : {}),
          ...(uais ? { uais } : {}),
        }),
        readerFor(app.db, scope, audienceOf(principal)),
      ]);
      if (!fromHead && feedCursorExpired(after, position)) {
        throw ApiErrors.CURSOR_EXPIRED({
          cursor: cursor ?? '(none)',
          watermark: position.watermark,
          resync: RESYNC,
        });
      }
      const more = rows.length > limit;
      const page = rows.slice(0, limit);
      const next = nextFeedSeq(page, more, position);
      const projected = await projectFeedPage(app.db, scope, reader, page);
      const items = types ? projected.filter((i) => feedTypeMatches(i.type, types)) : projected;
      return {
        items,
        nextCursor: encodeFeedCursor(next),
        hasMore: more,
      };
    },
  );
};

export default changes;
