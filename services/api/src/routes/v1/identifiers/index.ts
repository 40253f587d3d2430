import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiErrors } from '../../../errors.js';
import { PreviewQuerySchema, PreviewResultSchema } from '../../../schemas/identifier.js';
import { problemResponses } from '../../../schemas/problem.js';

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
      const namespaces = namespace ? [namespace] : known;
      const previews = [];
      for (const ns of namespaces) {
        previews.push(await allocator.preview({ namespace: ns, givenName, sn }));
      }
      return { previews };
    },
  );
};

export default identifiers;
