import {
  accountRowToView,
  findAccountByRef,
  listPersonHistory,
  projectEvent,
  readerFor,
  type FeedItem,
  resolveAccount,
  type AccountRef,
} from '@aaf-sync/directory';
import { reportsForAccount } from '@aaf-sync/webhooks';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { scopeOf, type Principal } from '../../../auth/principal.js';
import { ApiErrors } from '../../../errors.js';
import { cursorInt, decodeCursor, encodeCursor, pageOf } from '../../../lib/cursor.js';
import {
  AccountParamsSchema,
  AccountSchema,
  HistoryPageSchema,
  HistoryQuerySchema,
} from '../../../schemas/account.js';
import { problemResponses } from '../../../schemas/problem.js';
import { principalOf } from '../../../types.js';
import passwordReset from './password-reset.js';

const LIST = 'history';
const READ = { auth: { anyOf: ['accounts:read'] } } as const;

/**
 * Reads `id:<n>`, `jointure:<j>`, `<namespace>:<value>` (a configured namespace), or a bare
 * value (internal id, jointure or identifier of any namespace).
 */
export function parseAccountRef(raw: string, namespaces: readonly string[]): AccountRef {
  const match = /^([a-z][a-z0-9_-]*):(.+)$/.exec(raw);
  if (match) {
    const [, prefix, value] = match as unknown as [string, string, string];
    if (prefix === 'id') {
      if (!/^[0-9]{1,15}$/.test(value)) {
        throw ApiErrors.VALIDATION({
          summary: 'params.id: id: takes digits',
          errors: [{ in: 'params', path: 'id', message: 'id: takes digits' }],
        });
      }
      return { by: 'id', id: Number(value) };
    }
    if (prefix === 'jointure') return { by: 'jointure', value };
    if (namespaces.includes(prefix)) return { by: 'identifier', namespace: prefix, value };
  }
  return { by: 'any', value: raw };
}

/**
 * GET /v1/accounts/{id} and its history: account status for administrators; POST
 * /v1/accounts/{id}/password-reset (password-reset.ts).
 */
const accounts: FastifyPluginAsyncZod = async (app) => {
  async function personOf(
    principal: Principal,
    raw: string,
  ): Promise<{ id: number; jointure: string }> {
    const ref = parseAccountRef(raw, app.config.identifiers.namespaces);
    const ids = await resolveAccount(app.db, scopeOf(principal), ref);
    if (ids.length === 0) throw ApiErrors.NOT_FOUND({ resource: 'account', id: raw });
    if (ids.length > 1) throw ApiErrors.AMBIGUOUS_ACCOUNT({ ref: raw, count: ids.length });
    return ids[0]!;
  }

  app.get(
    '/:id',
    {
      config: READ,
      schema: {
        tags: ['accounts'],
        operationId: 'getAccount',
        summary: 'Account status',
        description:
          'Identity, profile, establishments, classes and groups, identifiers per namespace, ' +
          'lifecycle state, and the import and file that last changed the account.',
        params: AccountParamsSchema,
        response: { 200: AccountSchema, ...problemResponses(404, 409) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const raw = request.params.id;
      const ref = parseAccountRef(raw, app.config.identifiers.namespaces);
      const scope = scopeOf(principal);
      const [{ matches, row }, reader] = await Promise.all([
        findAccountByRef(app.db, scope, ref),
        readerFor(app.db, scope, 'personal'),
      ]);
      if (matches > 1) throw ApiErrors.AMBIGUOUS_ACCOUNT({ ref: raw, count: matches });
      if (!row) throw ApiErrors.NOT_FOUND({ resource: 'account', id: raw });
      const view = accountRowToView(row, reader);
      return {
        ...view,
        serverReports: await reportsForAccount(app.db, view.jointure, principal.uais),
      };
    },
  );

  app.get(
    '/:id/history',
    {
      config: READ,
      schema: {
        tags: ['accounts'],
        operationId: 'getAccountHistory',
        summary: 'Account history (newest first)',
        description:
          "The person's events and the events of its links (memberships, relatives, teaching, " +
          'functions) and identifiers, from the change log (kept CHANGES_RETENTION_DAYS).',
        params: AccountParamsSchema,
        querystring: HistoryQuerySchema,
        response: { 200: HistoryPageSchema, ...problemResponses(404, 409) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { cursor, limit } = request.query;
      const before = cursor ? cursorInt(decodeCursor(LIST, cursor), 's', LIST) : null;
      const person = await personOf(principal, request.params.id);
      const scope = scopeOf(principal);
      const [rows, reader] = await Promise.all([
        listPersonHistory(app.db, scope, person, { after: before, limit: limit + 1 }),
        readerFor(app.db, scope, 'personal'),
      ]);
      const { items: page, more } = pageOf(rows, limit);
      const last = page[page.length - 1];
      // Events of other establishments are projected away; the cursor moves past them anyway.
      const items: FeedItem[] = [];
      for (const row of page) {
        const item = projectEvent(row, reader);
        if (item) items.push(item);
      }
      return {
        items,
        nextCursor: more && last ? encodeCursor(LIST, { s: Number(last.seq) }) : null,
      };
    },
  );

  await app.register(passwordReset, { personOf });
};

export default accounts;
