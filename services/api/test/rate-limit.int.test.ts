import { createLogger } from '@aaf-sync/logger';
import t from 'tap';
import { buildApp } from '../src/index.js';
import { body, build } from './helper.js';

t.test('rate limit per key, shared through Redis', async (t) => {
  const ctx = await build(t, { redis: true, rateLimitPerMinute: 3 });
  const key = await ctx.key(['directory:read']);
  const url = '/v1/establishments';
  for (let i = 0; i < 3; i++)
    t.equal((await ctx.get(key, url)).statusCode, 200, `request ${i + 1}`);
  const limited = await ctx.get(key, url);
  t.equal(limited.statusCode, 429);
  t.match(limited.headers['retry-after'], /^\d+$/);
  t.ok(Number(limited.headers['retry-after']) > 0 && Number(limited.headers['retry-after']) <= 60);
  t.match(limited.headers['content-type'], /^application\/problem\+json/);
  t.match(body(limited), { code: 'API_ERR_RATE_LIMITED', status: 429 });

  const other = await ctx.key(['directory:read']);
  t.equal((await ctx.get(other, url)).statusCode, 200, 'another key has its own budget');
  t.equal((await ctx.inject({ url: '/healthz' })).statusCode, 200, 'health is not limited');

  // A second API process on the same Redis shares the counters.
  const second = await buildApp({
    config: ctx.config,
    db: ctx.db,
    log: createLogger({ level: 'silent' }),
    redis: ctx.redis!.redis,
    redisPrefix: ctx.redis!.prefix,
  });
  t.teardown(() => second.close());
  const res = await second.inject({ url, headers: { authorization: `Bearer ${key}` } });
  t.equal(res.statusCode, 429, 'the other process sees the same count');
  const keys = await ctx.redis!.redis.keys(`${ctx.redis!.prefix}:ratelimit:*`);
  t.ok(keys.length >= 2, 'counters live under the test prefix');
});
