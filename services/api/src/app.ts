import type { Config } from '@aaf-sync/config';
import type { Database, Kysely } from '@aaf-sync/db';
import type { Logger } from '@aaf-sync/logger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import audit from './plugins/app/audit.js';
import auth from './plugins/app/auth.js';
import deps from './plugins/app/deps.js';
import errorHandler, { clientErrorHandler, frameworkErrors } from './plugins/app/error-handler.js';
import requestLog, { genReqId } from './plugins/app/request-log.js';
import metricsPlugin from './plugins/external/metrics.js';
import rateLimit from './plugins/external/rate-limit.js';
import swagger from './plugins/external/swagger.js';
import health from './routes/health.js';
import metrics from './routes/metrics.js';
import v1 from './routes/v1/index.js';
import type { IdentifierService, ImportEnqueuer } from './services.js';
import './types.js';

export interface AppDeps {
  readonly config: Config;
  readonly db: Kysely<Database>;
  readonly log: Logger;
  /** Shared rate-limit store and readiness check; absent: in-process limits, no Redis check. */
  readonly redis?: Redis | undefined;
  /** Prefix of the Redis keys this app writes (rate limits); defaults to config.redis.queuePrefix. */
  readonly redisPrefix?: string | undefined;
  readonly imports?: ImportEnqueuer | undefined;
  readonly identifiers?: IdentifierService | undefined;
  /** The clock of time-based policies (key cache); `Date.now` by default, a fake one in tests. */
  readonly now?: (() => number) | undefined;
}

/**
 * The API as a fastify instance, not listening (server.ts listens; tests use `inject`).
 * Plugins in order: our decorators, the error handler, authentication and route policy, then
 * third-party wiring (OpenAPI, rate limit, metrics), the audit log, then the routes.
 *
 * @example
 * const app = await buildApp({ config, db, log });
 * const res = await app.inject({ url: '/healthz' });
 */
export async function buildApp(appDeps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: appDeps.log as FastifyBaseLogger,
    genReqId,
    requestIdHeader: false,
    // plugins/app/request-log.ts logs one line per request (route pattern, never the query).
    logController: new LogController({ disableRequestLogging: true }),
    // An API has no use for implicit HEAD routes (and they would duplicate every operation).
    exposeHeadRoutes: false,
    bodyLimit: 1_048_576,
    frameworkErrors,
    clientErrorHandler,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(deps, {
    config: appDeps.config,
    db: appDeps.db,
    imports: appDeps.imports,
    identifiers: appDeps.identifiers,
  });
  await app.register(requestLog);
  await app.register(errorHandler);
  const redisPrefix = appDeps.redisPrefix ?? appDeps.config.redis.queuePrefix;
  await app.register(auth, { redis: appDeps.redis, keyPrefix: redisPrefix, now: appDeps.now });
  await app.register(swagger);
  await app.register(rateLimit, {
    perMinute: appDeps.config.api.rateLimitPerMinute,
    redis: appDeps.redis,
    keyPrefix: redisPrefix,
  });
  await app.register(metricsPlugin);
  await app.register(audit);

  await app.register(health, { redis: appDeps.redis });
  await app.register(metrics);
  await app.register(v1, { prefix: '/v1' });
  return app;
}
