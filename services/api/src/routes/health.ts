import { sql } from '@aaf-sync/db';
import { consumerStatuses } from '@aaf-sync/targets';
import type { Redis } from 'ioredis';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HealthSchema, ReadinessSchema } from '../schemas/health.js';

/** Give up on a dependency check after this long: a probe must answer quickly. */
const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function up(check: () => Promise<unknown>): Promise<'up' | 'down'> {
  try {
    await withTimeout(check());
    return 'up';
  } catch {
    return 'down';
  }
}

/** Target consumers more than the retention behind, or behind the purge watermark (counts). */
async function targetLag(
  app: { db: Parameters<typeof consumerStatuses>[0] },
  retentionDays: number,
) {
  const statuses = await withTimeout(consumerStatuses(app.db, { retentionDays }));
  return {
    lagging: statuses.filter((s) => s.lagging).length,
    needsReset: statuses.filter((s) => s.needsReset).length,
  };
}

/**
 * /healthz (liveness: the process answers) and /readyz (PostgreSQL and Redis answer; the count
 * of lagging target consumers is a detail that does not make the API unready).
 */
const health: FastifyPluginAsyncZod<{ redis?: Redis | undefined }> = async (app, opts) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        operationId: 'health',
        summary: 'Liveness',
        response: { 200: HealthSchema },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        operationId: 'readiness',
        summary: 'Readiness: PostgreSQL and Redis reachable; lagging target consumers',
        description: 'Answers 503 with the same body when a dependency is down.',
        response: { 200: ReadinessSchema, 503: ReadinessSchema },
      },
    },
    async (_request, reply) => {
      const redis = opts.redis;
      const [postgres, redisState] = await Promise.all([
        up(() => sql`select 1`.execute(app.db)),
        redis ? up(() => redis.ping()) : Promise.resolve('not_configured' as const),
      ]);
      const ready = postgres === 'up' && redisState !== 'down';
      const targets =
        postgres === 'up'
          ? await targetLag(app, app.config.api.changesRetentionDays).catch(() => undefined)
          : undefined;
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not_ready',
        checks: { postgres, redis: redisState },
        ...(targets ? { targets } : {}),
      });
    },
  );
};

export default health;
