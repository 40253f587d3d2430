import { isAppError } from '@aaf-sync/errors';
import fastifyRateLimit from '@fastify/rate-limit';
import { format } from '@lukeed/ms';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { RATE_WINDOW_MS, rateLimitKey, rateLimitNameSpace } from '../../auth/admission.js';
import { ApiErrors } from '../../errors.js';

export interface RateLimitOptions {
  readonly perMinute: number;
  /** Shared store: every API process counts in the same Redis keys. Absent: per process. */
  readonly redis?: Redis | undefined;
  /** Prefix of the Redis keys (deployment prefix; a test's own prefix in tests). */
  readonly keyPrefix: string;
}

/** Methods that change something: refused while the limiter cannot count. */
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** `retry-after` of a write refused because the limiter does not answer. */
export const LIMITER_RETRY_AFTER_SECONDS = 5;

/**
 * Per-key rate limit (`API_RATE_LIMIT_PER_MINUTE`), counted in Redis so several API processes
 * share it. Runs after authentication (see plugins/app/auth.ts), so it counts per key id; routes
 * without authentication are not limited. When the store does not answer (Redis down), writes
 * fail closed (503 API_ERR_LIMITER_UNAVAILABLE + retry-after: an unmetered client could flood
 * the import engine) and reads stay open (logged; /readyz reports Redis down).
 * A request that authentication already counted (`request.rateCount`, one Redis script with the
 * failure counts for a verified key) is answered from that count, with the plugin's headers and
 * refusal: the same answer without a second round trip.
 */
export default fp<RateLimitOptions>(
  async (app, opts) => {
    await app.register(fastifyRateLimit, {
      // Hooks are added below, per route, around the plugin's own handler.
      global: false,
      max: opts.perMinute,
      timeWindow: RATE_WINDOW_MS,
      ...(opts.redis ? { redis: opts.redis } : {}),
      nameSpace: rateLimitNameSpace(opts.keyPrefix),
      skipOnError: false,
      keyGenerator: (request) =>
        request.principal ? rateLimitKey(request.principal.keyId) : `ip:${request.ip}`,
      errorResponseBuilder: (_request, context) =>
        ApiErrors.RATE_LIMITED({ max: context.max, after: context.after }),
    });
    const limit = app.rateLimit();

    // what @fastify/rate-limit answers for a count (its default headers; never a ban)
    function answer(reply: FastifyReply, count: { current: number; ttlMs: number }) {
      const max = opts.perMinute;
      const resetSeconds = Math.ceil(count.ttlMs / 1000);
      reply.header('x-ratelimit-limit', max);
      if (count.current <= max) {
        reply.header('x-ratelimit-remaining', max - count.current);
        reply.header('x-ratelimit-reset', resetSeconds);
        return;
      }
      reply.header('x-ratelimit-remaining', 0);
      reply.header('x-ratelimit-reset', resetSeconds);
      reply.header('retry-after', resetSeconds);
      throw ApiErrors.RATE_LIMITED({ max, after: format(resetSeconds * 1000, true) });
    }

    async function limited(request: FastifyRequest, reply: FastifyReply) {
      if (request.rateCount) return answer(reply, request.rateCount);
      try {
        await limit.call(app, request, reply);
      } catch (err) {
        if (isAppError(err)) throw err; // API_ERR_RATE_LIMITED
        if (WRITES.has(request.method)) {
          request.log.error({ err }, 'rate limiter unavailable: write refused');
          reply.header('retry-after', String(LIMITER_RETRY_AFTER_SECONDS));
          throw ApiErrors.LIMITER_UNAVAILABLE({}, { cause: err });
        }
        request.log.warn({ err }, 'rate limiter unavailable: read let through');
      }
    }

    // Runs after the auth plugin's onRoute (registered earlier), so after its key check.
    app.addHook('onRoute', (route: RouteOptions) => {
      if (route.config?.rateLimit === false) return;
      const hooks = route.onRequest;
      route.onRequest = [...(hooks ? (Array.isArray(hooks) ? hooks : [hooks]) : []), limited];
    });
  },
  { name: 'rate-limit', dependencies: ['auth'] },
);
