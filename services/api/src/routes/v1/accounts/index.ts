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
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { scopeOf, type Principal } from '../../../auth/principal.js';
import { ApiErrors } from '../../../errors.js';
import { cursorInt, decodeCursor, keysetPage } from '../../../lib/cursor.js';
import {
  AccountParamsSchema,
  AccountQuerySchema,
  AccountSchema,
  HistoryPageSchema,
  HistoryQuerySchema,
  type ParsedAccountRef,
} from '../../../schemas/account.js';
import { problemResponses } from '../../../schemas/problem.js';
import { principalOf } from '../../../types.js';
import passwordReset from './password-reset.js';

const LIST = 'history';

/** Several persons named: of several académies (say which with ?scope=), or of one. */
function ambiguity(ref: string, count: number, scopes: readonly string[]): void {
  if (count <= 1) return;
  if (scopes.length > 1)
    throw ApiErrors.ACCOUNT_IN_SEVERAL_SCOPES({ ref, scopes: [...scopes].sort().join(', ') });
  throw ApiErrors.AMBIGUOUS_ACCOUNT({ ref, count });
}
const READ = { auth: { anyOf: ['accounts:read'] } } as const;

/**
 * The directory's reference for a parsed path reference: a prefix that is not a configured
 * namespace is part of a bare value (`a:b` may be a jointure).
 */
export function accountRefOf(parsed: ParsedAccountRef, namespaces: readonly string[]): AccountRef {
  switch (parsed.by) {
    case 'id':
      return { by: 'id', id: parsed.id };
    case 'jointure':
      return { by: 'jointure', value: parsed.value };
    case 'prefixed':
      return namespaces.includes(parsed.prefix)
        ? { by: 'identifier', namespace: parsed.prefix, value: parsed.value }
        : { by: 'any', value: parsed.raw };
    case 'any':
      return { by: 'any', value: parsed.value };
  }
}

/**
 * GET /v1/accounts/{id} and its history: account status for administrators; POST
 * /v1/accounts/{id}/password-reset (password-reset.ts).
 */
const accounts: FastifyPluginAsyncZod = async (app) => {
  async function personOf(
    principal: Principal,
    parsed: ParsedAccountRef,
    aafScope?: string,
  ): Promise<{ id: number; jointure: string }> {
    const ref = accountRefOf(parsed, app.config.identifiers.namespaces);
    const ids = await resolveAccount(app.db, scopeOf(principal), ref, aafScope);
    if (ids.length === 0) throw ApiErrors.NOT_FOUND({ resource: 'account', id: parsed.raw });
    ambiguity(parsed.raw, ids.length, [...new Set(ids.map((i) => i.scope))]);
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
          'lifecycle state, and the import and file that last changed the account. A jointure is ' +
          'unique within an académie only: `?scope=` names the académie when the reference ' +
          'matches persons of several (409 API_ERR_ACCOUNT_IN_SEVERAL_SCOPES otherwise).',
        params: AccountParamsSchema,
        querystring: AccountQuerySchema,
        response: { 200: AccountSchema, ...problemResponses(404, 409) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const raw = request.params.id.raw;
      const ref = accountRefOf(request.params.id, app.config.identifiers.namespaces);
      const scope = scopeOf(principal);
      const [{ matches, scopes, row }, reader] = await Promise.all([
        findAccountByRef(app.db, scope, ref, request.query.scope),
        readerFor(app.db, scope, 'personal'),
      ]);
      ambiguity(raw, matches, scopes);
      if (!row) throw ApiErrors.NOT_FOUND({ resource: 'account', id: raw });
      // one statement (findAccountByRef), server reports included: one round trip per request
      return accountRowToView(row, reader);
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
      const person = await personOf(principal, request.params.id, request.query.scope);
      const scope = scopeOf(principal);
      const [rows, reader] = await Promise.all([
        listPersonHistory(app.db, scope, person, { after: before, limit: limit + 1 }),
        readerFor(app.db, scope, 'personal'),
      ]);
      const page = keysetPage(rows, limit, LIST, (last) => ({ s: Number(last.seq) }));
      // Events of other establishments are projected away; the cursor moves past them anyway.
      const items: FeedItem[] = [];
      for (const row of page.items) {
        const item = projectEvent(row, reader);
        if (item) items.push(item);
      }
      return { items, nextCursor: page.nextCursor };
    },
  );

  await app.register(passwordReset, { personOf });
};

export default accounts;
