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
