import {
  classGroupRowToView,
  findClassGroup,
  listClassGroupMembers,
  listClassGroups,
  listClassGroupTeachers,
  memberRowToView,
  teacherRowToView,
} from '@aaf-sync/directory';
import type { ClassGroupKind } from '@aaf-sync/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { assertUaiInScope, scopeOf } from '../../../auth/principal.js';
import { ApiErrors } from '../../../errors.js';
import { cursorInt, decodeCursor, keysetPage } from '../../../lib/cursor.js';
import {
  ClassGroupDetailSchema,
  ClassGroupKeyParamsSchema,
  ClassGroupsPageSchema,
  ClassGroupsQuerySchema,
} from '../../../schemas/class-group.js';
import { problemResponses } from '../../../schemas/problem.js';
import { principalOf } from '../../../types.js';

const READ = { auth: { anyOf: ['directory:read', 'changes:read'] } } as const;

/**
 * GET /v1/classes[/{key}] or /v1/groups[/{key}] (the same routes for both kinds, registered
 * twice with `kind`): classes and groups exist only through their pupils.
 */
const classGroups: FastifyPluginAsyncZod<{ kind: ClassGroupKind }> = async (app, opts) => {
  const { kind } = opts;
  const plural = kind === 'class' ? 'classes' : 'groups';
  const list = plural;
  const Kind = kind === 'class' ? 'Class' : 'Group';

  app.get(
    '',
    {
      config: READ,
      schema: {
        tags: ['directory'],
        operationId: `list${Kind === 'Class' ? 'Classes' : 'Groups'}`,
        summary: `List ${plural}`,
        querystring: ClassGroupsQuerySchema,
        response: { 200: ClassGroupsPageSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const q = request.query;
      assertUaiInScope(principal, q.uai);
      const after = q.cursor ? cursorInt(decodeCursor(list, q.cursor), 'a', list) : null;
      const rows = await listClassGroups(
        app.db,
        scopeOf(principal),
        { kind, ...(q.uai ? { uai: q.uai } : {}), ...(q.state ? { state: q.state } : {}) },
        { after, limit: q.limit + 1 },
      );
      const page = keysetPage(rows, q.limit, list, (last) => ({ a: last.id }));
      return { items: page.items.map(classGroupRowToView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/:key',
    {
      config: READ,
      schema: {
        tags: ['directory'],
        operationId: `get${Kind}`,
        summary: `One ${kind} with its members and teachers`,
        params: ClassGroupKeyParamsSchema,
        response: { 200: ClassGroupDetailSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { key } = request.params;
      const dollar = key.indexOf('$');
      const structure = key.slice(0, dollar);
      const code = key.slice(dollar + 1);
      const row = await findClassGroup(app.db, scopeOf(principal), kind, structure, code);
      if (!row) throw ApiErrors.NOT_FOUND({ resource: kind, id: key });
      const [members, teachers] = await Promise.all([
        listClassGroupMembers(app.db, row.id),
        listClassGroupTeachers(app.db, kind, structure, code),
      ]);
      return {
        ...classGroupRowToView(row),
        members: members.map(memberRowToView),
        teachers: teachers.map(teacherRowToView),
      };
    },
  );
};

export default classGroups;
