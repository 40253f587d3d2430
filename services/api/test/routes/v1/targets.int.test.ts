import t from 'tap';
import { sql } from '@aaf-sync/db';
import { body, build } from '../../helper.js';

const A = '0750001A';
const B = '0750002B';
const scribe = (name: string, uais = [A]) => ({
  kind: 'scribe',
  name,
  uais,
  options: { url: 'ldap://scribe.example', baseDn: 'o=gouv,c=fr', bindDn: 'cn=admin,o=gouv,c=fr' },
  secrets: { bindPassword: 'Very-s3cret' },
});

t.test('/v1/targets: admin CRUD, secrets write-only, scoped admins see their own', async (t) => {
  const ctx = await build(t);
  const admin = await ctx.key(['admin']);
  const adminA = await ctx.key(['admin'], [A]);
  const reader = await ctx.key(['directory:read', 'accounts:read']);
  const send = (
    token: string,
    method: 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
  ) =>
    ctx.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  const created = await send(admin, 'POST', '/v1/targets', scribe('scribe-a'));
  t.equal(created.statusCode, 201, created.body);
  t.equal(created.headers.location, '/v1/targets/scribe-a');
  t.match(body(created), {
    name: 'scribe-a',
    kind: 'scribe',
    hasSecrets: true,
    consumer: { cursor: 0, behind: 0, lagging: false },
  });
  t.notMatch(created.body, /Very-s3cret|bindPassword/, 'secrets never returned');
  t.equal((await send(admin, 'POST', '/v1/targets', scribe('scribe-a'))).statusCode, 409);

  const invalid = await send(admin, 'POST', '/v1/targets', { ...scribe('x'), secrets: {} });
  t.equal(invalid.statusCode, 400);
  t.match(body(invalid), { code: 'TARGETS_ERR_INVALID', detail: /bindPassword/ });
  const badKind = await send(admin, 'POST', '/v1/targets', { ...scribe('x'), kind: 'ftp' });
  t.match(body(badKind), { code: 'API_ERR_VALIDATION' });

  t.equal((await ctx.get(reader, '/v1/targets')).statusCode, 403, 'admin scope only');
  const foreign = await send(adminA, 'POST', '/v1/targets', scribe('scribe-b', [B]));
  t.match(body(foreign), { code: 'API_ERR_OUT_OF_SCOPE' });
  t.equal(
    (await send(adminA, 'POST', '/v1/targets', { kind: 'noop', name: 'noop-a', uais: [A] }))
      .statusCode,
    201,
  );
  t.equal(
    (await send(admin, 'POST', '/v1/targets', { kind: 'noop', name: 'noop-ab', uais: [A, B] }))
      .statusCode,
    201,
  );

  const seenByA = body<{ items: { name: string }[] }>(await ctx.get(adminA, '/v1/targets'));
  t.same(
    seenByA.items.map((i) => i.name),
    ['noop-a', 'scribe-a'],
    'not noop-ab (it serves B)',
  );
  t.equal((await ctx.get(adminA, '/v1/targets/noop-ab')).statusCode, 404);
  t.equal((await send(adminA, 'DELETE', '/v1/targets/noop-ab')).statusCode, 404);
  const widen = await send(adminA, 'PATCH', '/v1/targets/noop-a', { uais: [A, B] });
  t.match(body(widen), { code: 'API_ERR_OUT_OF_SCOPE' });

  const patched = await send(admin, 'PATCH', '/v1/targets/scribe-a', {
    options: { url: 'ldap://other.example', baseDn: 'o=gouv,c=fr', bindDn: 'cn=x,o=gouv,c=fr' },
  });
  t.equal(patched.statusCode, 200, patched.body);
  t.match(body(patched), { version: 2, options: { url: 'ldap://other.example' } });
  t.match(body(await send(admin, 'POST', '/v1/targets/scribe-a/suspend')), { state: 'suspended' });
  t.match(body(await send(admin, 'POST', '/v1/targets/scribe-a/resume')), { state: 'active' });
  t.match(body(await send(admin, 'POST', '/v1/targets/scribe-a/reset')), { cursor: 0, rows: 0 });
  t.equal((await send(admin, 'DELETE', '/v1/targets/scribe-a')).statusCode, 204);
  t.equal((await ctx.get(admin, '/v1/targets/scribe-a')).statusCode, 404);

  const audit = await ctx.db
    .selectFrom('audit_log')
    .select(['action', 'status', 'details'])
    .orderBy('id')
    .execute();
  t.ok(audit.some((a) => a.action === 'targets.create' && a.status === 201));
  t.ok(audit.some((a) => a.action === 'targets.remove' && a.status === 204));
  t.notMatch(JSON.stringify(audit), /Very-s3cret/, 'the audit log holds no secret');
  t.notMatch(JSON.stringify(ctx.logs), /Very-s3cret/, 'nor do the logs');
});

t.test(
  'a consumer lagging past the retention shows in /v1/targets, /readyz and /metrics',
  async (t) => {
    const ctx = await build(t, { retentionDays: 90 });
    const admin = await ctx.key(['admin']);
    const created = await ctx.inject({
      method: 'POST',
      url: '/v1/targets',
      headers: { authorization: `Bearer ${admin}` },
      payload: { kind: 'noop', name: 'late', uais: [A] },
    });
    t.equal(created.statusCode, 201);
    // An event the target never dispatched (no targets process here), 100 days old.
    await sql`
    insert into change_event (entity_type, entity_key, op, version, uais, occurred_at)
    values ('person', 'P1', 'updated', 2, ${sql.val([A])}::text[], now() - interval '100 days')
  `.execute(ctx.db);
    const list = body<{ items: { consumer: { lagging: boolean; behind: number } }[] }>(
      await ctx.get(admin, '/v1/targets'),
    );
    t.match(list.items[0]!.consumer, { lagging: true, behind: 1 });
    const ready = await ctx.inject({ url: '/readyz' });
    t.equal(ready.statusCode, 200, 'a lagging consumer does not make the API unready');
    t.match(ready.json(), { targets: { lagging: 1, needsReset: 0 } });
    t.match((await ctx.inject({ url: '/metrics' })).body, /aaf_target_consumers_lagging 1/);

    const reset = await ctx.inject({
      method: 'POST',
      url: '/v1/targets/late/reset',
      headers: { authorization: `Bearer ${admin}` },
    });
    t.equal(reset.statusCode, 200);
    t.match((await ctx.inject({ url: '/readyz' })).json(), { targets: { lagging: 0 } });
  },
);
