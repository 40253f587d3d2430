import type { FastifyPluginAsync } from 'fastify';

/**
 * /metrics in the Prometheus text format. Not authenticated: expose it on an internal network
 * only (it reveals request volumes and the size of the change log), never publicly.
 */
const metrics: FastifyPluginAsync = async (app) => {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        operationId: 'metrics',
        summary: 'Prometheus metrics (do not expose publicly)',
        produces: ['text/plain'],
      },
    },
    async (_request, reply) => {
      const text = await app.metrics.metrics();
      return reply.type(app.metrics.contentType).send(text);
    },
  );
};

export default metrics;
