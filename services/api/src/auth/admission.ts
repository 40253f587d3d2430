import type { Redis } from 'ioredis';
import { failureKey } from './failure-limiter.js';

/** The rate limit's window (API_RATE_LIMIT_PER_MINUTE: a minute). */
export const RATE_WINDOW_MS = 60_000;

/** The rate-limit counters' namespace (`@fastify/rate-limit` adds the key generator's key). */
export const rateLimitNameSpace = (prefix: string) => `${prefix}:ratelimit:`;

/** The rate-limit key of an authenticated request: per API key id. */
export const rateLimitKey = (keyId: string) => `key:${keyId}`;

/** The answer of one admission: refused for failed authentications, or counted. */
export type Admission =
  | { readonly throttled: { readonly by: 'ip' | 'key'; readonly resetMs: number } }
  | { readonly throttled: null; readonly current: number; readonly ttlMs: number };

// The failure counts of the client IP and of the key id (as `redisFailureStore.peek` reads
// them), then, when neither has reached its limit, the request counted against the key's rate
// limit as `@fastify/rate-limit`'s Redis store counts it (INCR, the window opened by the first
// request, its TTL otherwise): the two round trips of a request whose key is already verified
// in one script. A throttled request is not counted, as before (it never reached the limiter).
const ADMIT_SCRIPT = `
local max = tonumber(ARGV[1])
for i = 1, 2 do
  local n = tonumber(redis.call('GET', KEYS[i]) or '0')
  if n >= max then
    local ttl = redis.call('PTTL', KEYS[i])
    if ttl > 0 then return {-i, ttl} end
  end
end
local window = tonumber(ARGV[2])
local current = redis.call('INCR', KEYS[3])
if current == 1 then
  redis.call('PEXPIRE', KEYS[3], window)
else
  window = redis.call('PTTL', KEYS[3])
end
return {current, window}`;
const ADMIT_COMMAND = 'aafAdmit';
type AdmitCommand = (...keysThenArgs: (string | number)[]) => Promise<[number, number]>;

export interface AdmissionOptions {
  /** Prefix of the Redis keys (deployment prefix; a test's own prefix in tests). */
  readonly prefix: string;
  /** Failed authentications allowed per window (API_AUTH_FAILURES_PER_MINUTE). */
  readonly failuresMax: number;
  /** The rate limit's window, ms. */
  readonly rateWindowMs: number;
}

/**
 * One Redis round trip for a request whose key is already verified (the key cache): refused for
 * failed authentications from its IP or with its key id, else counted against the key's rate
 * limit, in the same keys as the two separate round trips it replaces.
 */
export function redisAdmission(redis: Redis, options: AdmissionOptions) {
  const commands = redis as unknown as Record<string, AdmitCommand | undefined>;
  // defined once per connection (several apps of a test may share one)
  if (!commands[ADMIT_COMMAND]) redis.defineCommand(ADMIT_COMMAND, { lua: ADMIT_SCRIPT });
  const admit = commands[ADMIT_COMMAND]!.bind(redis);
  const nameSpace = rateLimitNameSpace(options.prefix);
  return {
    /** `keyId`: the presented token's id (failures); `principalKeyId`: the verified key's. */
    async admit(ip: string, keyId: string, principalKeyId: string): Promise<Admission> {
      const [first, second] = await admit(
        3,
        failureKey(options.prefix, `ip:${ip}`),
        failureKey(options.prefix, `key:${keyId}`),
        nameSpace + rateLimitKey(principalKeyId),
        options.failuresMax,
        options.rateWindowMs,
      );
      if (first < 0) return { throttled: { by: first === -1 ? 'ip' : 'key', resetMs: second } };
      return { throttled: null, current: first, ttlMs: second };
    },
  };
}

export type RedisAdmission = ReturnType<typeof redisAdmission>;
