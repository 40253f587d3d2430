import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { scopeOf } from '../../../auth/principal.js';
import { ApiErrors } from '../../../errors.js';
import { PreviewQuerySchema, PreviewResultSchema } from '../../../schemas/identifier.js';
import { problemResponses } from '../../../schemas/problem.js';
import { principalOf } from '../../../types.js';

/** GET /v1/identifiers/preview: which login a new person would get (nothing is allocated). */
const identifiers: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/preview',
    {
      config: { auth: { anyOf: ['accounts:read'] } },
      schema: {
        tags: ['identifiers'],
        operationId: 'previewIdentifier',
        summary: 'Preview the login of a new person (nothing is reserved)',
        description:
          'Logins are unique across the académie, so the numbered login (`value`) and the count ' +
          'of `homonyms` reveal persons of every establishment: a key restricted to ' +
          'establishments gets the bare form (`base`) only.',
        querystring: PreviewQuerySchema,
        response: { 200: PreviewResultSchema, ...problemResponses(503) },
      },
    },
    async (request) => {
      const allocator = app.identifierService;
      if (!allocator) throw ApiErrors.SERVICE_UNAVAILABLE({ service: 'identifier' });
      const { givenName, sn, namespace } = request.query;
      const known = app.config.identifiers.namespaces;
      if (namespace !== undefined && !known.includes(namespace)) {
        const message = `unknown namespace; configured: ${known.join(', ')}`;
        throw ApiErrors.VALIDATION({
          summary: `querystring.namespace: ${message}`,
          errors: [{ in: 'querystring', path: 'namespace', message }],
        });
      }
      const restricted = scopeOf(principalOf(request)).uais !== null;
      const namespaces = namespace ? [namespace] : known;
      const previews = [];
      for (const ns of namespaces) {
        const p = await allocator.preview({ namespace: ns, givenName, sn });
        previews.push(restricted ? { namespace: p.namespace, base: p.base } : p);
      }
      return { previews };
    },
  );
};

export default identifiers;
