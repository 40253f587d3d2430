import type { Redis } from 'ioredis';

/** Failures counted under one key in its current window. */
export interface FailureWindow {
  readonly count: number;
  /** Milliseconds until the window ends (0 when nothing is counted). */
  readonly resetMs: number;
}

/** Where failures are counted: Redis (shared by every API process) or this process's memory. */
export interface FailureStore {
  /** Counts one failure; the first failure of a key opens its window of `windowMs`. */
  hit(key: string, windowMs: number): Promise<FailureWindow>;
  /** The failures of each key's current window, without counting one (one round trip). */
  peek(keys: readonly string[]): Promise<FailureWindow[]>;
}

// INCR and PEXPIRE in one step: a window can never be left without its expiry.
const HIT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}`;

// The count and TTL of each key in one script: `peek` runs on every authenticated request, and
// one EVALSHA costs the API process a third of the CPU of the MULTI/GET/PTTL/EXEC it replaces.
const PEEK_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  out[2 * i - 1] = redis.call('GET', key) or false
  out[2 * i] = redis.call('PTTL', key)
end
return out`;
const PEEK_COMMAND = 'aafAuthFailuresPeek';
type PeekCommand = (...countThenKeys: (string | number)[]) => Promise<(string | number | null)[]>;

/** The Redis key of a failure count (`ip:<address>`, `key:<key id>`). */
export const failureKey = (prefix: string, key: string) => `${prefix}:authfail:${key}`;

/** Failures in Redis under `<prefix>:authfail:<key>`; the window is the key's TTL. */
export function redisFailureStore(redis: Redis, prefix: string): FailureStore {
  const name = (key: string) => failureKey(prefix, key);
  // defined once per connection (several apps of a test may share one); sent by its SHA1,
  // the script itself only when Redis does not know it yet (ioredis retries on NOSCRIPT)
  const commands = redis as unknown as Record<string, PeekCommand | undefined>;
  if (!commands[PEEK_COMMAND]) redis.defineCommand(PEEK_COMMAND, { lua: PEEK_SCRIPT });
  return {
    async hit(key, windowMs) {
      const [count, ttl] = (await redis.eval(HIT_SCRIPT, 1, name(key), windowMs)) as [
        number,
        number,
      ];
      return { count, resetMs: Math.max(0, ttl) };
    },
    async peek(keys) {
      const peekCommand = commands[PEEK_COMMAND]!.bind(redis);
      const result = await peekCommand(keys.length, ...keys.map(name));
      return keys.map((_key, i) => {
        const count = result[2 * i] ?? null;
        const ttl = Number(result[2 * i + 1] ?? -2);
        return ttl > 0 ? { count: Number(count ?? 0), resetMs: ttl } : { count: 0, resetMs: 0 };
      });
    },
  };
}

/** Windows remembered at most by the in-memory store (a bound against a flood of addresses). */
const MEMORY_MAX = 100_000;

/**
 * Failures in this process only (an API built without Redis: tests, a single process). `now` is
 * the clock, injectable so that tests move time instead of waiting.
 */
export function memoryFailureStore(now: () => number = Date.now): FailureStore {
  const windows = new Map<string, { count: number; until: number }>();
  const current = (key: string) => {
    const w = windows.get(key);
    if (w && w.until > now()) return w;
    windows.delete(key);
    return undefined;
  };
  return {
    async hit(key, windowMs) {
      let w = current(key);
      if (!w) {
        if (windows.size >= MEMORY_MAX) {
          for (const [k, v] of windows) if (v.until <= now()) windows.delete(k);
          if (windows.size >= MEMORY_MAX) windows.clear();
        }
        w = { count: 0, until: now() + windowMs };
        windows.set(key, w);
      }
      w.count++;
      return { count: w.count, resetMs: w.until - now() };
    },
    async peek(keys) {
      return keys.map((key) => {
        const w = current(key);
        return w ? { count: w.count, resetMs: w.until - now() } : { count: 0, resetMs: 0 };
      });
    },
  };
}

export interface AuthFailureLimiterOptions {
  readonly store: FailureStore;
  /** Failures allowed per window from one IP, and with one key id (API_AUTH_FAILURES_PER_MINUTE). */
  readonly max: number;
  readonly windowMs: number;
}

/** Who is refused, and for how long. */
export interface Throttled {
  readonly by: 'ip' | 'key';
  readonly retryAfterSeconds: number;
}

/**
 * Failed authentications counted per client IP and per key id (a wrong secret for a key id counts
 * against that id, from any address). Once either count reaches `max`, `blocked` answers until
 * the window ends: the caller refuses the request before looking at the key, so a correct key
 * does not lift the block (a guessing client learns nothing more in that window).
 */
export function authFailureLimiter(options: AuthFailureLimiterOptions) {
  const { store, max, windowMs } = options;
  const keysOf = (ip: string, keyId: string | null) => [
    ['ip', `ip:${ip}`] as const,
    ...(keyId ? [['key', `key:${keyId}`] as const] : []),
  ];
  return {
    async blocked(ip: string, keyId: string | null): Promise<Throttled | null> {
      const keys = keysOf(ip, keyId);
      const windows = await store.peek(keys.map(([, key]) => key));
      for (const [i, [by]] of keys.entries()) {
        const w = windows[i]!;
        if (w.count >= max)
          return { by, retryAfterSeconds: Math.max(1, Math.ceil(w.resetMs / 1000)) };
      }
      return null;
    },
    async record(ip: string, keyId: string | null): Promise<void> {
      for (const [, key] of keysOf(ip, keyId)) await store.hit(key, windowMs);
    },
  };
}

export type AuthFailureLimiter = ReturnType<typeof authFailureLimiter>;
