import t from 'tap';
import type { IdentifierPreviewInput, IdentifierService } from '../../../src/index.js';
import { body, build } from '../../helper.js';

/** A stand-in allocator (the real one is packages/identifiers, wired by the lead). */
class FakeAllocator implements IdentifierService {
  calls: IdentifierPreviewInput[] = [];
  async preview(input: IdentifierPreviewInput) {
    this.calls.push(input);
    const base = `${input.givenName[0]!.toLowerCase()}.${input.sn.toLowerCase()}`;
    return { namespace: input.namespace, value: `${base}2`, base, homonyms: 1 };
  }
}

t.test('identifier preview', async (t) => {
  const allocator = new FakeAllocator();
  const ctx = await build(t, { identifiers: allocator });
  const key = await ctx.key(['accounts:read']);
  const one = await ctx.get(
    key,
    '/v1/identifiers/preview?givenName=Jean&sn=Dupont&namespace=educonnect',
  );
  t.equal(one.statusCode, 200);
  t.same(body(one), {
    previews: [{ namespace: 'educonnect', value: 'j.dupont2', base: 'j.dupont', homonyms: 1 }],
  });
  const all = body<{ previews: { namespace: string }[] }>(
    await ctx.get(key, '/v1/identifiers/preview?givenName=Jean&sn=Dupont'),
  );
  t.same(
    all.previews.map((p) => p.namespace),
    ctx.config.identifiers.namespaces,
    'every configured namespace',
  );
  const unknown = await ctx.get(
    key,
    '/v1/identifiers/preview?givenName=Jean&sn=Dupont&namespace=ldap9',
  );
  t.equal(unknown.statusCode, 400);
  t.match(body(unknown), { code: 'API_ERR_VALIDATION', errors: [{ path: 'namespace' }] });
  t.equal((await ctx.get(key, '/v1/identifiers/preview?givenName=Jean')).statusCode, 400);
  t.equal((await ctx.get(key, '/v1/identifiers/preview?givenName=%20%20&sn=X')).statusCode, 400);
  t.equal(
    (await ctx.get(await ctx.key(['directory:read']), '/v1/identifiers/preview?givenName=J&sn=D'))
      .statusCode,
    403,
  );
});

t.test('identifier preview without an allocator is 503', async (t) => {
  const ctx = await build(t);
  const res = await ctx.get(
    await ctx.key(['accounts:read']),
    '/v1/identifiers/preview?givenName=J&sn=D',
  );
  t.equal(res.statusCode, 503);
  t.equal(body(res).code, 'API_ERR_SERVICE_UNAVAILABLE');
});

t.test('a key restricted to establishments gets the bare form only', async (t) => {
  const allocator = new FakeAllocator();
  const ctx = await build(t, { identifiers: allocator });
  const url = '/v1/identifiers/preview?givenName=Jean&sn=Dupont';
  for (const scopes of [['accounts:read'], ['admin']] as const) {
    const scoped = await ctx.get(await ctx.key(scopes, ['0990001N']), url);
    t.equal(scoped.statusCode, 200);
    t.same(
      body(scoped),
      {
        previews: ctx.config.identifiers.namespaces.map((namespace) => ({
          namespace,
          base: 'j.dupont',
        })),
      },
      `${scopes[0]}@0990001N: no value, no homonym count`,
    );
    t.notMatch(scoped.body, /j\.dupont2|homonyms/);
  }
  const unscoped = await ctx.get(await ctx.key(['accounts:read']), `${url}&namespace=scribe`);
  t.same(body(unscoped), {
    previews: [{ namespace: 'scribe', value: 'j.dupont2', base: 'j.dupont', homonyms: 1 }],
  });
});
