import { createServer } from 'node:net';
import { createLogger } from '@aaf-sync/logger';
import type { LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import t from 'tap';
import { buildApp } from '../src/index.js';
import { body, build } from './helper.js';

/** The Redis commands a connection sends (names), from now on. */
function commandsOf(redis: Redis): string[] {
  const sent: string[] = [];
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command: { name: string }, ...rest: unknown[]) => {
    sent.push(command.name);
    return (send as (...args: unknown[]) => unknown)(command, ...rest);
  }) as typeof redis.sendCommand;
  return sent;
}

const limitHeaders = (res: LightMyRequestResponse) =>
  Object.fromEntries(
    ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after'].map((h) => [
      h,
      res.headers[h],
    ]),
  );

t.test('a verified key: one Redis round trip, the same rate-limit answers', async (t) => {
  const ctx = await build(t, { redis: true, rateLimitPerMinute: 3, keyCacheSeconds: 60 });
  const key = await ctx.key(['directory:read']);
  const url = '/v1/establishments';
  const sent = commandsOf(ctx.appRedis!);

  const first = await ctx.get(key, url);
  t.equal(first.statusCode, 200);
  t.equal(sent.length, 2, 'the first request verifies the key: failure counts, then the limiter');
  t.same(limitHeaders(first), {
    'x-ratelimit-limit': '3',
    'x-ratelimit-remaining': '2',
    'x-ratelimit-reset': '60',
    'retry-after': undefined,
  });

  sent.length = 0;
  const second = await ctx.get(key, url);
  t.equal(second.statusCode, 200);
  t.same(sent, ['evalsha'], 'a verified key: one script');
  t.equal(second.headers['x-ratelimit-remaining'], '1');
  t.match(second.headers['x-ratelimit-reset'], /^(59|60)$/);
  t.equal((await ctx.get(key, url)).headers['x-ratelimit-remaining'], '0');

  const limited = await ctx.get(key, url);
  t.equal(limited.statusCode, 429, 'the limit still bites');
  t.match(body(limited), { code: 'API_ERR_RATE_LIMITED', status: 429 });
  t.match(
    body(limited).detail,
    /^rate limit of 3 requests per minute exceeded; retry in (\d+ seconds?|1 minute)$/,
  );
  t.match(limited.headers['content-type'], /^application\/problem\+json/);

  // the same count answered by the plugin's own path (a process without the key cache, on the
  // same Redis): same status, headers and body
  const uncached = await buildApp({
    config: { ...ctx.config, api: { ...ctx.config.api, keyCacheSeconds: 0 } },
    db: ctx.db,
    log: createLogger({ level: 'silent' }),
    redis: ctx.redis!.connect({ maxRetriesPerRequest: 1 }),
    redisPrefix: ctx.redis!.prefix,
  });
  t.teardown(() => uncached.close());
  const plain = await uncached.inject({ url, headers: { authorization: `Bearer ${key}` } });
  t.equal(plain.statusCode, 429);
  t.same(Object.keys(limitHeaders(plain)), Object.keys(limitHeaders(limited)));
  for (const [h, v] of Object.entries(limitHeaders(plain))) {
    t.ok(v !== undefined, `${h} set`);
    t.ok(Math.abs(Number(v) - Number(limitHeaders(limited)[h])) <= 1, `${h}: ${v}`);
  }
  const { detail: plainDetail, requestId: _p, ...plainBody } = body(plain);
  const { detail: limitedDetail, requestId: _l, ...limitedBody } = body(limited);
  t.same(limitedBody, plainBody);
  t.equal(
    String(limitedDetail).replace(/\d+ seconds?|\d+ minutes?/, 'N'),
    String(plainDetail).replace(/\d+ seconds?|\d+ minutes?/, 'N'),
  );
  const count = await ctx.redis!.redis.get(`${ctx.redis!.prefix}:ratelimit:key:${keyIdOf(key)}`);
  t.equal(count, '5', 'both paths count in the same key');
});

t.test('a verified key: failed authentications still lock it out, uncounted', async (t) => {
  const ctx = await build(t, { redis: true, authFailuresPerMinute: 3, keyCacheSeconds: 60 });
  const good = await ctx.key(['directory:read']);
  const victim = await ctx.key(['directory:read']);
  const url = '/v1/establishments';
  const from = (ip: string, token?: string) =>
    ctx.inject({
      url,
      remoteAddress: ip,
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    });
  const rateCount = (token: string) =>
    ctx.redis!.redis.get(`${ctx.redis!.prefix}:ratelimit:key:${keyIdOf(token)}`);
  // both keys verified (and cached) first
  t.equal((await from('10.0.0.1', good)).statusCode, 200);
  t.equal((await from('10.0.0.9', victim)).statusCode, 200);
  const sent = commandsOf(ctx.appRedis!);

  for (let i = 0; i < 3; i++) t.equal((await from('10.0.0.1')).statusCode, 401, `no key ${i}`);
  sent.length = 0;
  const refused = await from('10.0.0.1', good);
  t.same(sent, ['evalsha'], 'one script');
  t.equal(refused.statusCode, 429, 'a verified key is refused from that address');
  t.match(body(refused), { code: 'API_ERR_AUTH_THROTTLED', status: 429 });
  t.match(body(refused).detail, /from this address/);
  const after = Number(refused.headers['retry-after']);
  t.ok(after >= 1 && after <= 60, `retry-after ${after}`);
  t.equal(refused.headers['x-ratelimit-remaining'], undefined, 'not answered by the limiter');
  t.equal(await rateCount(good), '1', 'the refused request was not counted');
  t.equal((await from('10.0.0.2', good)).statusCode, 200, 'other addresses are served');
  t.equal(await rateCount(good), '2');

  const wrong = `aafk_${keyIdOf(victim)}_${'A'.repeat(43)}`;
  for (let i = 0; i < 3; i++) t.equal((await from(`10.1.0.${i}`, wrong)).statusCode, 401);
  const locked = await from('10.2.0.1', victim);
  t.equal(locked.statusCode, 429, 'the verified key is refused with its key id locked');
  t.match(body(locked).detail, /with this key id/);
  t.equal(await rateCount(victim), '1');
  t.equal((await from('10.2.0.1', good)).statusCode, 200, 'other keys are served');
});

t.test('a verified key without the route scope: 403, not counted', async (t) => {
  const ctx = await build(t, { redis: true, rateLimitPerMinute: 3, keyCacheSeconds: 60 });
  const key = await ctx.key(['directory:read']);
  t.equal((await ctx.get(key, '/v1/establishments')).statusCode, 200);
  for (let i = 0; i < 4; i++) t.equal((await ctx.get(key, '/v1/targets')).statusCode, 403);
  t.equal((await ctx.get(key, '/v1/establishments')).statusCode, 200, 'the budget is intact');
});

t.test('a verified key while Redis does not answer: reads served, writes refused', async (t) => {
  const ctx = await build(t, { keyCacheSeconds: 60 });
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  // the options of server.ts: no offline queue, so a command fails at once
  const redis = new Redis(`redis://127.0.0.1:${port}`, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  t.teardown(() => redis.disconnect());
  const app = await buildApp({
    config: ctx.config,
    db: ctx.db,
    log: createLogger({ level: 'silent' }),
    redis,
    redisPrefix: 'aaf-sync-test-closed',
  });
  t.teardown(() => app.close());
  const headers = { authorization: `Bearer ${await ctx.key(['admin'])}` };
  for (let i = 0; i < 2; i++) {
    const read = await app.inject({ url: '/v1/establishments', headers });
    t.equal(read.statusCode, 200, `read ${i + 1} (the key ${i ? 'verified' : 'checked'})`);
  }
  const write = await app.inject({
    method: 'POST',
    url: '/v1/imports/1/plans/0990001N/approve',
    headers,
  });
  t.equal(write.statusCode, 503, 'a write is refused');
  t.match(body(write), { code: 'API_ERR_LIMITER_UNAVAILABLE' });
  t.equal(write.headers['retry-after'], '5');
});

function keyIdOf(token: string): string {
  return /^aafk_([a-z0-9]+)_/.exec(token)![1]!;
}
