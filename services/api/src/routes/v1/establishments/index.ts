import {
  findDuplicateRelatives,
  findStaleTeachingLinks,
  findStructureByUai,
  groupDuplicateRelatives,
  listStructures,
  staleTeachingLinkRowToView,
  structureRowToView,
} from '@aaf-sync/directory';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { scopeOf, type Principal } from '../../../auth/principal.js';
import { ApiErrors } from '../../../errors.js';
import { cursorString, decodeCursor, keysetPage } from '../../../lib/cursor.js';
import {
  DuplicateRelativesSchema,
  EstablishmentSchema,
  EstablishmentsPageSchema,
  EstablishmentsQuerySchema,
  StaleTeachingLinksSchema,
  UaiParamsSchema,
} from '../../../schemas/establishment.js';
import { problemResponses } from '../../../schemas/problem.js';
import { principalOf } from '../../../types.js';

const LIST = 'establishments';
const READ = { auth: { anyOf: ['directory:read', 'changes:read'] } } as const;

/** GET /v1/establishments[/{uai}[/reports/…]]: establishments and their data-quality reports. */
const establishments: FastifyPluginAsyncZod = async (app) => {
  async function establishment(principal: Principal, uai: string) {
    const row = await findStructureByUai(app.db, scopeOf(principal), uai);
    if (!row) throw ApiErrors.NOT_FOUND({ resource: 'establishment', id: uai });
    return row;
  }

  app.get(
    '',
    {
      config: READ,
      schema: {
        tags: ['directory'],
        operationId: 'listEstablishments',
        summary: 'List establishments',
        querystring: EstablishmentsQuerySchema,
        response: { 200: EstablishmentsPageSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { cursor, limit } = request.query;
      const after = cursor ? cursorString(decodeCursor(LIST, cursor), 'j', LIST) : null;
      const rows = await listStructures(app.db, scopeOf(principal), { after, limit: limit + 1 });
      const page = keysetPage(rows, limit, LIST, (last) => ({ j: last.jointure }));
      return { items: page.items.map(structureRowToView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/:uai',
    {
      config: READ,
      schema: {
        tags: ['directory'],
        operationId: 'getEstablishment',
        summary: 'One establishment, with its persons counted by profile and state',
        params: UaiParamsSchema,
        response: { 200: EstablishmentSchema, ...problemResponses(404) },
      },
    },
    async (request) =>
      structureRowToView(await establishment(principalOf(request), request.params.uai)),
  );

  app.get(
    '/:uai/reports/stale-teaching-links',
    {
      config: { auth: { anyOf: ['directory:read'] } },
      schema: {
        tags: ['directory'],
        operationId: 'staleTeachingLinks',
        summary: "Teachers' links to classes or groups that are missing or have no pupil",
        params: UaiParamsSchema,
        response: { 200: StaleTeachingLinksSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const s = await establishment(principalOf(request), request.params.uai);
      const rows = await findStaleTeachingLinks(app.db, s.jointure);
      return { establishment: s.jointure, items: rows.map(staleTeachingLinkRowToView) };
    },
  );

  app.get(
    '/:uai/reports/duplicate-relatives',
    {
      config: { auth: { anyOf: ['directory:read'] } },
      schema: {
        tags: ['directory'],
        operationId: 'duplicateRelatives',
        summary: 'Relatives probably recorded twice (same names and same mail, phone or address)',
        description:
          'Relatives of the establishment (attached to it or linked to one of its pupils) with the ' +
          'same normalised name and given name and the same mail, phone or postal address under ' +
          'different jointures: fix them in SIECLE. Values are compared, never returned.',
        params: UaiParamsSchema,
        response: { 200: DuplicateRelativesSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const s = await establishment(principalOf(request), request.params.uai);
      const pairs = await findDuplicateRelatives(app.db, s.jointure);
      return { establishment: s.jointure, groups: groupDuplicateRelatives(pairs) };
    },
  );
};

export default establishments;
