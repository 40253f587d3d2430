import fastifyRateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { ApiErrors } from '../../errors.js';

export interface RateLimitOptions {
  readonly perMinute: number;
  /** Shared store: every API process counts in the same Redis keys. Absent: per process. */
  readonly redis?: Redis | undefined;
  /** Prefix of the Redis keys (deployment prefix; a test's own prefix in tests). */
  readonly keyPrefix: string;
}

/**
 * Per-key rate limit (`API_RATE_LIMIT_PER_MINUTE`), counted in Redis so several API processes
 * share it. Runs after authentication (see plugins/app/auth.ts), so it counts per key id; routes
 * without authentication are not limited. When Redis does not answer, requests pass (the limit
 * protects the service; it is not a security boundary) and /readyz reports Redis down.
 */
export default fp<RateLimitOptions>(
  async (app, opts) => {
    await app.register(fastifyRateLimit, {
      global: true,
      max: opts.perMinute,
      timeWindow: 60_000,
      hook: 'onRequest',
      ...(opts.redis ? { redis: opts.redis } : {}),
      nameSpace: `${opts.keyPrefix}:ratelimit:`,
      skipOnError: true,
      keyGenerator: (request) =>
        request.principal ? `key:${request.principal.keyId}` : `ip:${request.ip}`,
      errorResponseBuilder: (_request, context) =>
        ApiErrors.RATE_LIMITED({ max: context.max, after: context.after }),
    });
  },
  { name: 'rate-limit', dependencies: ['auth'] },
);
