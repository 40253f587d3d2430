import {
  createManagedGroup,
  deleteManagedGroup,
  extendManagedGroup,
  getManagedGroup,
  listManagedGroups,
  setGroupPeople,
  updateManagedGroup,
  viewsOf,
} from '@aaf-sync/groups';
import { findStructureByUai } from '@aaf-sync/directory';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, assertUaiInScope, scopeOf } from '../../../auth/principal.js';
import { ApiErrors } from '../../../errors.js';
import { cursorInt, decodeCursor, keysetPage } from '../../../lib/cursor.js';
import {
  GroupPeoplePutSchema,
  ManagedGroupCreateSchema,
  ManagedGroupDetailSchema,
  ManagedGroupExtendSchema,
  ManagedGroupIdParamsSchema,
  ManagedGroupPatchSchema,
  ManagedGroupsPageSchema,
  ManagedGroupsQuerySchema,
} from '../../../schemas/managed-group.js';
import { problemResponses } from '../../../schemas/problem.js';
import { principalOf } from '../../../types.js';

const READ = { auth: { anyOf: ['directory:read'] } } as const;
const write = (audit: string) => ({ auth: { anyOf: ['admin'] }, audit }) as const;
const LIST = 'managed-groups';

/**
 * /v1/managed-groups: groups created through the API (not from the AAF; those are /v1/groups),
 * with managers and a lifetime (unlimited, or the school year: the calendar warns their managers,
 * deletes them on its date and sends a summary). Written by an admin key: an establishment's
 * admin key manages the groups of its establishment only (another's answer 404, or 403 on create).
 */
const managedGroups: FastifyPluginAsyncZod = async (app) => {
  const by = (request: Parameters<typeof principalOf>[0]) => ({
    actor: actorOf(principalOf(request)),
    now: app.clock.now(),
  });

  app.get(
    '',
    {
      config: READ,
      schema: {
        tags: ['directory'],
        operationId: 'listManagedGroups',
        summary: 'List groups created through the API',
        querystring: ManagedGroupsQuerySchema,
        response: { 200: ManagedGroupsPageSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const q = request.query;
      assertUaiInScope(principal, q.uai);
      const after = q.cursor ? cursorInt(decodeCursor(LIST, q.cursor), 'a', LIST) : null;
      const rows = await listManagedGroups(
        app.db,
        scopeOf(principal),
        { uai: q.uai, includeDeleted: q.deleted === 'true' },
        { after, limit: q.limit + 1 },
      );
      const page = keysetPage(rows, q.limit, LIST, (last) => ({ a: last.id }));
      return { items: await viewsOf(app.db, page.items), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '',
    {
      config: write('groups.create'),
      schema: {
        tags: ['directory'],
        operationId: 'createManagedGroup',
        summary: 'Create a group with managers, members and a lifetime',
        body: ManagedGroupCreateSchema,
        response: {
          201: ManagedGroupDetailSchema,
          ...problemResponses(400, 403, 404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const body = request.body;
      assertUaiInScope(principal, body.uai);
      if (!(await findStructureByUai(app.db, scopeOf(principal), body.uai))) {
        throw ApiErrors.NOT_FOUND({ resource: 'establishment', id: body.uai });
      }
      const group = await createManagedGroup(app.db, body, by(request));
      request.auditDetails = { id: group.id, uai: group.uai, lifetime: group.lifetime };
      return reply.code(201).header('location', `/v1/managed-groups/${group.id}`).send(group);
    },
  );

  app.get(
    '/:id',
    {
      config: READ,
      schema: {
        tags: ['directory'],
        operationId: 'getManagedGroup',
        summary: 'One group created through the API, with its managers and members',
        params: ManagedGroupIdParamsSchema,
        response: { 200: ManagedGroupDetailSchema, ...problemResponses(404) },
      },
    },
    async (request) => getManagedGroup(app.db, scopeOf(principalOf(request)), request.params.id),
  );

  app.patch(
    '/:id',
    {
      config: write('groups.update'),
      schema: {
        tags: ['directory'],
        operationId: 'updateManagedGroup',
        summary: 'Rename a group, change its description or lifetime',
        params: ManagedGroupIdParamsSchema,
        body: ManagedGroupPatchSchema,
        response: { 200: ManagedGroupDetailSchema, ...problemResponses(400, 403, 404, 409) },
      },
    },
    async (request) =>
      updateManagedGroup(
        app.db,
        scopeOf(principalOf(request)),
        request.params.id,
        request.body,
        by(request),
      ),
  );

  app.delete(
    '/:id',
    {
      config: write('groups.delete'),
      schema: {
        tags: ['directory'],
        operationId: 'deleteManagedGroup',
        summary: 'Delete a group (kept readable with `deletedAt`)',
        params: ManagedGroupIdParamsSchema,
        response: {
          204: z.null().describe('Deleted (or it already was).'),
          ...problemResponses(403, 404),
        },
      },
    },
    async (request, reply) => {
      await deleteManagedGroup(
        app.db,
        scopeOf(principalOf(request)),
        request.params.id,
        by(request),
      );
      return reply.code(204).send(null);
    },
  );

  for (const role of ['managers', 'members'] as const) {
    app.put(
      `/:id/${role}`,
      {
        config: write(`groups.${role}.set`),
        schema: {
          tags: ['directory'],
          operationId: role === 'managers' ? 'putManagedGroupManagers' : 'putManagedGroupMembers',
          summary:
            role === 'managers'
              ? 'Replace the managers of a group (staff of its establishment)'
              : 'Replace the members of a group (active persons of its establishment)',
          params: ManagedGroupIdParamsSchema,
          body: GroupPeoplePutSchema,
          response: {
            200: ManagedGroupDetailSchema,
            ...problemResponses(400, 403, 404, 409, 422),
          },
        },
      },
      async (request) =>
        setGroupPeople(
          app.db,
          scopeOf(principalOf(request)),
          request.params.id,
          role,
          request.body.persons,
          by(request),
        ),
    );
  }

  app.post(
    '/:id/extend',
    {
      config: write('groups.extend'),
      schema: {
        tags: ['directory'],
        operationId: 'extendManagedGroup',
        summary: 'Extend a year-limited group to a later school year',
        description:
          'What the warning notices tell managers to do. Default: one more year. Refused for ' +
          'unlimited and timetable groups (409 GROUPS_ERR_NOT_EXTENSIBLE) and beyond the year ' +
          'after the current one (422 GROUPS_ERR_BAD_EXTENSION).',
        params: ManagedGroupIdParamsSchema,
        body: ManagedGroupExtendSchema,
        response: {
          200: ManagedGroupDetailSchema,
          ...problemResponses(400, 403, 404, 409, 422),
        },
      },
    },
    async (request) =>
      extendManagedGroup(
        app.db,
        scopeOf(principalOf(request)),
        request.params.id,
        { until: request.body.until },
        by(request),
      ),
  );
};

export default managedGroups;
