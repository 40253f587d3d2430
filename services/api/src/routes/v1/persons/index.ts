import { listPersons, personRowToView, readerFor, type ClassGroupRef } from '@aaf-sync/directory';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { assertUaiInScope, audienceOf, scopeOf } from '../../../auth/principal.js';
import { ApiErrors } from '../../../errors.js';
import { cursorInt, decodeCursor, keysetPage } from '../../../lib/cursor.js';
import { encodeFeedCursor } from '../../../lib/feed-cursor.js';
import { PersonsPageSchema, PersonsQuerySchema } from '../../../schemas/person.js';
import { principalOf } from '../../../types.js';

const LIST = 'persons';

function classRef(value: string | undefined, uai: string | undefined): ClassGroupRef | undefined {
  if (value === undefined) return undefined;
  const dollar = value.indexOf('$');
  if (dollar > 0 && dollar < value.length - 1) {
    return { structureJointure: value.slice(0, dollar), code: value.slice(dollar + 1) };
  }
  if (dollar === -1 && uai) return { uai, code: value };
  throw ApiErrors.VALIDATION({
    summary: 'querystring.class: give the key <structureJointure>$<code>, or a code with uai',
    errors: [
      {
        in: 'querystring',
        path: 'class',
        message: 'give the key <structureJointure>$<code>, or a code with uai',
      },
    ],
  });
}

/** GET /v1/persons: the directory's persons, and the snapshot to start the change feed from. */
const persons: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '',
    {
      config: { auth: { anyOf: ['directory:read', 'changes:read', 'accounts:read'] } },
      schema: {
        tags: ['directory', 'changes'],
        operationId: 'listPersons',
        summary: 'List persons (and take a feed snapshot)',
        description:
          'Persons by ascending id, filtered by establishment, profile, class or group, state and ' +
          'name. Every page returns `feedCursor`, the change-feed position of the first page: ' +
          'read all pages, then follow GET /v1/changes from it.',
        querystring: PersonsQuerySchema,
        response: { 200: PersonsPageSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const q = request.query;
      assertUaiInScope(principal, q.uai);
      let after: number | null = null;
      let feed: number | null = null;
      if (q.cursor) {
        const decoded = decodeCursor(LIST, q.cursor);
        after = cursorInt(decoded, 'a', LIST);
        feed = cursorInt(decoded, 'f', LIST);
      }
      const audience = audienceOf(principal);
      const scope = scopeOf(principal);
      const filter = {
        ...(q.uai ? { uai: q.uai } : {}),
        ...(q.profile ? { profile: q.profile } : {}),
        ...(q.state ? { state: q.state } : {}),
        ...(q.q ? { q: q.q } : {}),
        ...(q.class ? { classGroup: classRef(q.class, q.uai) } : {}),
      };
      const [{ rows, position }, reader] = await Promise.all([
        listPersons(app.db, scope, audience, filter, { after, limit: q.limit + 1 }),
        readerFor(app.db, scope, audience),
      ]);
      const snapshot = feed ?? position.head;
      const page = keysetPage(rows, q.limit, LIST, (last) => ({ a: last.id, f: snapshot }));
      return {
        items: page.items.map((row) => personRowToView(row, reader)),
        nextCursor: page.nextCursor,
        feedCursor: encodeFeedCursor(snapshot),
      };
    },
  );
};

export default persons;
