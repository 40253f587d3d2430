import { createHash } from 'node:crypto';
import { authenticate, parseApiKey } from '@aaf-sync/api-keys';
import { touchApiKey } from '@aaf-sync/db';
import type { FastifyReply, FastifyRequest, onRequestHookHandler, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { RATE_WINDOW_MS, redisAdmission } from '../../auth/admission.js';
import {
  authFailureLimiter,
  memoryFailureStore,
  redisFailureStore,
  type Throttled,
} from '../../auth/failure-limiter.js';
import { hasAnyScope, type Principal } from '../../auth/principal.js';
import { ApiErrors } from '../../errors.js';
import { problemResponses } from '../../schemas/problem.js';
import type { RouteAuth } from '../../types.js';

/** `last_used_at` is written at most this often per key and process (it is a write). */
const TOUCH_EVERY_MS = 60_000;
/** Verified keys remembered at most (a bound, not a tuning knob). */
const CACHE_MAX = 10_000;

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

export interface AuthOptions {
  /** Where failed authentications are counted (shared by every process); absent: in memory. */
  readonly redis?: Redis | undefined;
  /** Prefix of the Redis keys (deployment prefix; a test's own prefix in tests). */
  readonly keyPrefix: string;
  /** The clock of the key cache and of `last_used_at` (tests pass their own). */
  readonly now?: (() => number) | undefined;
}

function throttledFor(by: 'ip' | 'key', resetMs: number): Throttled {
  return { by, retryAfterSeconds: Math.max(1, Math.ceil(resetMs / 1000)) };
}

function throttledError(reply: FastifyReply, throttled: Throttled) {
  reply.header('retry-after', String(throttled.retryAfterSeconds));
  return ApiErrors.AUTH_THROTTLED({
    from: throttled.by === 'ip' ? 'from this address' : 'with this key id',
    after: throttled.retryAfterSeconds,
  });
}

function describeScopes(auth: RouteAuth): string {
  const scopes = [...auth.anyOf, 'admin'].map((s) => `\`${s}\``).join(', ');
  return `Requires an API key with one of the scopes ${scopes}.`;
}

/**
 * Authentication and route policy, applied when each route is declared:
 * - a route with `config.auth` gets an `onRequest` check (Bearer key → principal, then scope),
 *   its OpenAPI `security`, a sentence naming its scopes, and the common problem responses;
 * - a route without it (health, metrics, docs) is public and not rate limited;
 * - a `/v1` route without `config.auth` is a programming error (refused at start).
 * Registered before the rate limiter, so the limiter runs after authentication and counts per key.
 * Failed authentications are counted per client IP and per key id (API_AUTH_FAILURES_PER_MINUTE):
 * past the limit, that IP or key id is refused with 429 before its key is even looked at.
 * A key already verified (the key cache) on a rate-limited route costs one Redis round trip: the
 * failure counts read and the request counted against the key's rate limit in one script
 * (auth/admission.ts); the rate limiter then answers from that count (`request.rateCount`).
 */
export default fp<AuthOptions>(
  async (app, opts) => {
    const clock = opts.now ?? Date.now;
    const failures = authFailureLimiter({
      store: opts.redis ? redisFailureStore(opts.redis, opts.keyPrefix) : memoryFailureStore(clock),
      max: app.config.api.authFailuresPerMinute,
      windowMs: 60_000,
    });
    const admission = opts.redis
      ? redisAdmission(opts.redis, {
          prefix: opts.keyPrefix,
          failuresMax: app.config.api.authFailuresPerMinute,
          rateWindowMs: RATE_WINDOW_MS,
        })
      : null;
    app.decorateRequest('rateCount', null);
    const lastTouch = new Map<string, number>();
    // Verified keys, by sha256 of the presented token (the token itself is not kept), trusted for
    // API_KEY_CACHE_SECONDS: a revoked key is refused after at most that delay.
    const ttlMs = app.config.api.keyCacheSeconds * 1000;
    const verified = new Map<string, { principal: Principal; until: number }>();

    const digestOf = (token: string) => createHash('sha256').update(token).digest('base64url');

    /** The principal of a token verified less than API_KEY_CACHE_SECONDS ago, else null. */
    function cachedPrincipal(digest: string): Principal | null {
      const hit = verified.get(digest);
      return hit && hit.until > clock() ? hit.principal : null;
    }

    async function principalFor(token: string, digest: string | null): Promise<Principal | null> {
      if (ttlMs === 0 || digest === null) return authenticate(app.db, token);
      const now = clock();
      const hit = cachedPrincipal(digest);
      if (hit) return hit;
      const principal = await authenticate(app.db, token);
      if (verified.size >= CACHE_MAX) verified.clear();
      if (principal) verified.set(digest, { principal, until: now + ttlMs });
      else verified.delete(digest);
      return principal;
    }

    /**
     * One round trip for a verified key allowed on the route (`rateLimited`): the failure counts
     * and the rate count together. Null when that path does not apply or Redis did not answer
     * (the request then takes the separate steps, which meet the same error and answer as they
     * always did).
     */
    async function admitVerified(
      request: FastifyRequest,
      reply: FastifyReply,
      auth: RouteAuth,
      keyId: string | null,
      digest: string | null,
    ): Promise<Principal | null> {
      if (!admission || digest === null || keyId === null) return null;
      const principal = cachedPrincipal(digest);
      // a key lacking the route's scope is refused before the limiter (not counted), as before
      if (!principal || !hasAnyScope(principal, auth.anyOf)) return null;
      const admitted = await admission.admit(request.ip, keyId, principal.keyId).catch(() => null);
      if (!admitted) return null;
      if (admitted.throttled) {
        throw throttledError(
          reply,
          throttledFor(admitted.throttled.by, admitted.throttled.resetMs),
        );
      }
      request.rateCount = { current: admitted.current, ttlMs: admitted.ttlMs };
      return principal;
    }

    const check =
      (auth: RouteAuth, rateLimited: boolean): onRequestHookHandler =>
      async (request: FastifyRequest, reply: FastifyReply) => {
        const token = bearer(request);
        const keyId = token ? (parseApiKey(token)?.id ?? null) : null;
        const digest = token !== null && ttlMs > 0 ? digestOf(token) : null;
        const admitted = rateLimited
          ? await admitVerified(request, reply, auth, keyId, digest)
          : null;
        if (admitted) {
          request.principal = admitted;
          touch(request, admitted);
          return;
        }
        // Without Redis the failure counts cannot be read: authentication goes on (a key secret
        // is 256 random bits; writes are refused anyway by the rate limiter failing closed).
        const throttled = await failures.blocked(request.ip, keyId).catch((err: unknown) => {
          request.log.warn({ err }, 'could not read failed authentications');
          return null;
        });
        if (throttled) throw throttledError(reply, throttled);
        const principal = token ? await principalFor(token, digest) : null;
        if (!principal) {
          await failures.record(request.ip, keyId).catch((err: unknown) => {
            request.log.warn({ err }, 'could not count a failed authentication');
          });
          throw ApiErrors.UNAUTHENTICATED();
        }
        request.principal = principal;
        if (!hasAnyScope(principal, auth.anyOf)) {
          throw ApiErrors.FORBIDDEN({ scopes: [...auth.anyOf, 'admin'].join(', ') });
        }
        touch(request, principal);
      };

    function touch(request: FastifyRequest, principal: Principal) {
      const now = clock();
      if ((lastTouch.get(principal.keyId) ?? 0) + TOUCH_EVERY_MS < now) {
        lastTouch.set(principal.keyId, now);
        touchApiKey(app.db, principal.keyId, new Date(now)).catch((err: unknown) =>
          request.log.warn({ err }, 'could not record key use'),
        );
      }
    }

    app.addHook('onRoute', (route: RouteOptions) => {
      const auth = route.config?.auth;
      if (!auth) {
        if (route.url.startsWith('/v1')) {
          throw new Error(`route ${route.method} ${route.url} declares no config.auth`);
        }
        route.config = { ...route.config, rateLimit: false } as typeof route.config;
        return;
      }
      const hooks = route.onRequest;
      const rateLimited = route.config?.rateLimit !== false;
      route.onRequest = [
        check(auth, rateLimited),
        ...(hooks ? (Array.isArray(hooks) ? hooks : [hooks]) : []),
      ];
      const schema = (route.schema ??= {}) as Record<string, unknown>;
      schema.security = [{ apiKey: [] }];
      schema.description = [schema.description, describeScopes(auth)].filter(Boolean).join('\n\n');
      const statuses = [401, 403, 429, 500];
      if (schema.querystring || schema.params || schema.body) statuses.unshift(400);
      // A write is refused while the rate limiter cannot count (plugins/external/rate-limit.ts).
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (methods.some((m) => m !== 'GET' && m !== 'HEAD')) statuses.push(503);
      schema.response = { ...problemResponses(...statuses), ...(schema.response as object) };
    });
  },
  { name: 'auth', dependencies: ['deps'] },
);
