import { startServer } from '@aaf-sync/api';
import { authenticate, parseApiKey } from '@aaf-sync/api-keys';
import { loadConfig } from '@aaf-sync/config';
import { createLogger } from '@aaf-sync/logger';
import { testDb } from '@aaf-sync/testing';
import t from 'tap';
import { cli } from './run.js';

t.test('keys create / list / revoke', async (t) => {
  const { db, url } = await testDb(t);
  const created = await cli(
    [
      'keys',
      'create',
      '--name',
      'ent-alpha',
      '--scopes',
      'changes:read,directory:read',
      '--uai',
      '0990001N',
    ],
    url,
  );
  t.equal(created.code, 0, created.stderr);
  const token = created.stdout.trim();
  t.match(token, /^aafk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/, 'stdout is the key, once');
  t.match(created.stderr, /only time the key is shown/);
  const principal = await authenticate(db, token);
  t.match(principal, { name: 'ent-alpha', uais: ['0990001N'] });
  t.same([...principal!.scopes].sort(), ['changes:read', 'directory:read']);

  const listed = await cli(['keys', 'list'], url);
  t.equal(listed.code, 0);
  t.match(
    listed.stdout,
    new RegExp(
      `^${principal!.keyId}\\tent-alpha\\tchanges:read,directory:read\\t0990001N\\t.*\\tactive\\n$`,
    ),
  );
  t.notOk(listed.stdout.includes(parseApiKey(token)!.secret), 'list never shows the secret');
  const json = JSON.parse((await cli(['keys', 'list', '--json'], url)).stdout) as { id: string }[];
  t.same(
    json.map((k) => k.id),
    [principal!.keyId],
  );

  const revoked = await cli(['keys', 'revoke', principal!.keyId], url);
  t.equal(revoked.code, 0);
  t.equal(await authenticate(db, token), null, 'the key no longer authenticates');
  t.equal((await cli(['keys', 'revoke', principal!.keyId], url)).code, 1, 'revoking twice fails');
  t.match((await cli(['keys', 'list'], url)).stdout, /\trevoked /);

  const audit = await db
    .selectFrom('audit_log')
    .select(['action', 'key_id', 'actor'])
    .orderBy('id')
    .execute();
  t.match(audit, [
    { action: 'keys.create', key_id: principal!.keyId, actor: /^cli/ },
    { action: 'keys.revoke', key_id: principal!.keyId },
  ]);
});

t.test('a key created by the CLI opens the API, within its scopes, until revoked', async (t) => {
  const { url } = await testDb(t);
  const created = await cli(
    ['keys', 'create', '--name', 'ent-beta', '--scopes', 'directory:read', '--json'],
    url,
  );
  t.equal(created.code, 0, created.stderr);
  const { id, token } = JSON.parse(created.stdout) as { id: string; token: string };
  const server = await startServer({
    config: loadConfig({
      ...process.env,
      DATABASE_URL: url,
      HOST: '127.0.0.1',
      PORT: '0',
      API_KEY_CACHE_SECONDS: '0', // the revocation is seen at the next request
    }),
    log: createLogger({ level: 'silent' }),
  });
  t.teardown(() => server.close());
  const get = (path: string, key: string) =>
    fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  t.equal((await get('/v1/establishments', token)).status, 200, 'the key is accepted');
  t.equal((await get('/v1/changes', token)).status, 403, 'a scope it lacks is refused');
  t.equal((await cli(['keys', 'revoke', id], url)).code, 0);
  t.equal((await get('/v1/establishments', token)).status, 401, 'refused once revoked');
});

t.test('keys: usage errors exit 2 with a code', async (t) => {
  const { url } = await testDb(t);
  const cases = [
    ['keys', 'create', '--name', 'x'],
    ['keys', 'create', '--name', 'x', '--scopes', 'root'],
    ['keys', 'create', '--name', 'x', '--scopes', 'admin', '--uai', 'nope'],
    ['keys', 'frobnicate'],
    ['keys', 'list', '--colour'],
    ['keys', 'revoke'],
  ];
  for (const argv of cases) {
    const res = await cli(argv, url);
    t.equal(res.code, 2, argv.join(' '));
    t.match(res.stderr, /error (CLI_ERR_USAGE|KEYS_ERR_SPEC)/);
  }
});

t.test('purge-events deletes old events and records the watermark', async (t) => {
  const { db, url } = await testDb(t);
  await db
    .insertInto('change_event')
    .values([
      {
        entity_type: 'person',
        entity_key: 'P1',
        op: 'created',
        version: 1,
        occurred_at: new Date(Date.now() - 200 * 86_400_000),
      },
      { entity_type: 'person', entity_key: 'P2', op: 'created', version: 1 },
    ])
    .execute();
  const res = await cli(['purge-events'], url);
  t.equal(res.code, 0, res.stderr);
  t.match(res.stdout, /^1 event\(s\) purged; watermark \d+\n$/);
  const left = await db.selectFrom('change_event').select('entity_key').execute();
  t.same(left, [{ entity_key: 'P2' }]);
  const audit = await db.selectFrom('audit_log').select('action').execute();
  t.same(audit, [{ action: 'events.purge' }]);
  t.equal((await cli(['purge-events', '--older-than-days', 'x'], url)).code, 2);
  const all = await cli(['purge-events', '--older-than-days', '0'], url);
  t.match(all.stdout, /^1 event\(s\) purged/);
});
