import t from 'tap';
import { body, build } from './helper.js';

t.test('failed authentications are limited per client IP and per key id', async (t) => {
  const ctx = await build(t, { redis: true, authFailuresPerMinute: 3 });
  const good = await ctx.key(['directory:read']);
  const victim = await ctx.key(['directory:read']);
  const url = '/v1/establishments';
  const from = (ip: string, authorization?: string) =>
    ctx.inject({
      url,
      remoteAddress: ip,
      ...(authorization ? { headers: { authorization } } : {}),
    });

  t.test('one address: three failures, then 429 even with a correct key', async (t) => {
    t.equal((await from('10.0.0.1')).statusCode, 401, 'no key');
    t.equal((await from('10.0.0.1', 'Bearer nonsense')).statusCode, 401, 'not a key');
    t.equal((await from('10.0.0.1', 'Bearer aafk_0000000000_x')).statusCode, 401, 'malformed');
    const refused = await from('10.0.0.1', `Bearer ${good}`);
    t.equal(refused.statusCode, 429, 'the correct key is refused from that address');
    t.match(refused.headers['content-type'], /^application\/problem\+json/);
    t.match(body(refused), { code: 'API_ERR_AUTH_THROTTLED', status: 429 });
    t.match(body(refused).detail, /from this address/);
    const after = Number(refused.headers['retry-after']);
    t.ok(after >= 1 && after <= 60, `retry-after ${after}`);
    t.equal(
      (await from('10.0.0.2', `Bearer ${good}`)).statusCode,
      200,
      'other addresses are served',
    );
    t.equal((await ctx.inject({ url: '/healthz', remoteAddress: '10.0.0.1' })).statusCode, 200);
  });

  t.test('one key id: a wrong secret from many addresses blocks that key id', async (t) => {
    const id = /^aafk_([a-z0-9]+)_/.exec(victim)![1]!;
    const wrong = `Bearer aafk_${id}_${'A'.repeat(43)}`;
    for (let i = 0; i < 3; i++) {
      t.equal((await from(`10.1.0.${i}`, wrong)).statusCode, 401, `wrong secret ${i + 1}`);
    }
    const refused = await from('10.2.0.1', `Bearer ${victim}`);
    t.equal(refused.statusCode, 429, 'the real key is refused for the rest of the window');
    t.match(body(refused).detail, /with this key id/);
    t.equal((await from('10.2.0.1', `Bearer ${good}`)).statusCode, 200, 'other keys are served');
  });

  t.test('the counts live in Redis with the window as their TTL', async (t) => {
    const redis = ctx.redis!.redis;
    const keys = await redis.keys(`${ctx.redis!.prefix}:authfail:*`);
    t.ok(keys.some((k) => k.endsWith(':ip:10.0.0.1')) && keys.some((k) => k.includes(':key:')));
    for (const k of keys) {
      const ttl = await redis.pttl(k);
      t.ok(ttl > 0 && ttl <= 60_000, `${k} expires within the minute (${ttl} ms)`);
    }
  });
});

t.test('successful authentications are not counted', async (t) => {
  const ctx = await build(t, { redis: true, authFailuresPerMinute: 1 });
  const key = await ctx.key(['directory:read']);
  for (let i = 0; i < 5; i++) {
    t.equal((await ctx.get(key, '/v1/establishments')).statusCode, 200, `request ${i + 1}`);
  }
  t.same(await ctx.redis!.redis.keys(`${ctx.redis!.prefix}:authfail:*`), []);
});
