import { createHash } from 'node:crypto';
import t from 'tap';
import { listApiKeyInfos, parseApiKey, revokeApiKeyById } from '@aaf-sync/api-keys';
import { body, build } from './helper.js';

t.test('a verified key is trusted for API_KEY_CACHE_SECONDS, then checked again', async (t) => {
  let now = Date.now();
  const ctx = await build(t, { keyCacheSeconds: 1, now: () => now });
  const token = await ctx.key(['directory:read']);
  t.equal((await ctx.get(token, '/v1/establishments')).statusCode, 200);
  await revokeApiKeyById(ctx.db, parseApiKey(token)!.id, 'test');
  t.equal(
    (await ctx.get(token, '/v1/establishments')).statusCode,
    200,
    'still trusted from the cache',
  );
  now += 999;
  t.equal((await ctx.get(token, '/v1/establishments')).statusCode, 200, 'trusted until the end');
  now += 2;
  t.equal(
    (await ctx.get(token, '/v1/establishments')).statusCode,
    401,
    'refused once the entry expired',
  );
  const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
  t.equal(
    (await ctx.get(forged, '/v1/establishments')).statusCode,
    401,
    'the cache is keyed by the whole key',
  );
});

t.test('authentication', async (t) => {
  const ctx = await build(t);
  const token = await ctx.key(['directory:read']);
  const url = '/v1/establishments';

  t.test('a missing, malformed, unknown or wrong key is 401 with a problem document', async (t) => {
    const { id } = parseApiKey(token)!;
    const cases: Record<string, string | undefined> = {
      missing: undefined,
      'not bearer': `Basic ${Buffer.from('a:b').toString('base64')}`,
      malformed: 'Bearer aafk_nope',
      'unknown id': `Bearer aafk_0123456789ab_${'A'.repeat(43)}`,
      'wrong secret': `Bearer aafk_${id}_${'B'.repeat(43)}`,
    };
    for (const [name, authorization] of Object.entries(cases)) {
      const res = await ctx.inject({ url, headers: authorization ? { authorization } : {} });
      t.equal(res.statusCode, 401, name);
      t.equal(res.headers['www-authenticate'], 'Bearer');
      t.match(res.headers['content-type'], /^application\/problem\+json/);
      t.match(body(res), {
        type: 'urn:aaf-sync:error:API_ERR_UNAUTHENTICATED',
        status: 401,
        code: 'API_ERR_UNAUTHENTICATED',
        title: 'Unauthorized',
      });
    }
    t.equal((await ctx.get(token, url)).statusCode, 200, 'the right key passes');
  });

  t.test('a revoked key is 401', async (t) => {
    const other = await ctx.key(['directory:read']);
    t.equal((await ctx.get(other, url)).statusCode, 200);
    t.equal(await revokeApiKeyById(ctx.db, parseApiKey(other)!.id, 'test'), true);
    t.equal(await revokeApiKeyById(ctx.db, parseApiKey(other)!.id, 'test'), false, 'once');
    const res = await ctx.get(other, url);
    t.equal(res.statusCode, 401);
    t.equal(body(res).code, 'API_ERR_UNAUTHENTICATED');
  });

  t.test('the secret is stored hashed, never in clear', async (t) => {
    const { id, secret } = parseApiKey(token)!;
    const row = await ctx.db
      .selectFrom('api_key')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const dump =
      JSON.stringify(row) +
      row.secret_sha256.toString('hex') +
      row.secret_sha256.toString('base64');
    t.notOk(dump.includes(secret), 'the secret is nowhere in the row');
    t.notOk(dump.includes(token));
    t.same(row.secret_sha256, createHash('sha256').update(secret).digest());
    const audit = await ctx.db.selectFrom('audit_log').selectAll().execute();
    t.notOk(JSON.stringify(audit).includes(secret), 'nor in the audit log');
    t.ok(ctx.logs.length > 0);
    t.notOk(JSON.stringify(ctx.logs).includes(secret), 'nor in the logs');
    const infos = await listApiKeyInfos(ctx.db);
    t.notOk(JSON.stringify(infos).includes(secret), 'nor in the listing');
    t.ok(infos.find((k) => k.id === id)?.lastUsedAt, 'last use is recorded');
  });

  t.test(
    'request ids: echoed, reused when well-formed, in the logs; no query string logged',
    async (t) => {
      const res = await ctx.inject({
        url: '/v1/persons?q=Lefevre',
        headers: { authorization: `Bearer ${token}`, 'x-request-id': 'abc-123' },
      });
      t.equal(res.headers['x-request-id'], 'abc-123');
      const line = ctx.logs.find((l) => l.reqId === 'abc-123' && l.msg === 'request completed');
      t.match(line, { route: '/v1/persons', status: 200, method: 'GET' });
      t.notOk(JSON.stringify(ctx.logs).includes('Lefevre'), 'names in queries are not logged');
      const generated = await ctx.inject({
        url: '/healthz',
        headers: { 'x-request-id': 'bad id with spaces' },
      });
      t.match(generated.headers['x-request-id'], /^[0-9a-f-]{36}$/);
    },
  );
});
