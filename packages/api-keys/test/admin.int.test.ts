import { testDb } from '@aaf-sync/testing';
import t from 'tap';
import {
  authenticate,
  createApiKey,
  listApiKeyInfos,
  parseApiKey,
  revokeApiKeyById,
} from '../src/index.js';

t.test('create, authenticate, list and revoke a key, every step audited', async (t) => {
  const { db } = await testDb(t);
  const { key, token } = await createApiKey(db, {
    name: '  ent-alpha ',
    scopes: ['changes:read', 'changes:read', 'directory:read'],
    uais: ['0990002P', '0990001N'],
    actor: 'cli:ops',
  });
  t.match(key, {
    name: 'ent-alpha',
    scopes: ['changes:read', 'directory:read'],
    uais: ['0990001N', '0990002P'],
    createdBy: 'cli:ops',
    lastUsedAt: null,
    revokedAt: null,
  });
  t.equal(parseApiKey(token)?.id, key.id);

  const principal = await authenticate(db, token);
  t.match(principal, { keyId: key.id, name: 'ent-alpha', uais: ['0990001N', '0990002P'] });
  t.same([...principal!.scopes].sort(), ['changes:read', 'directory:read']);
  const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
  t.equal(await authenticate(db, forged), null, 'a wrong secret is refused');
  t.equal(await authenticate(db, 'aafk_nope'), null, 'a malformed key is refused');

  const listed = await listApiKeyInfos(db);
  t.same(
    listed.map((k) => k.id),
    [key.id],
  );
  t.notOk(JSON.stringify(listed).includes(parseApiKey(token)!.secret), 'never the secret');

  t.equal(await revokeApiKeyById(db, key.id, 'cli:ops'), true);
  t.equal(await revokeApiKeyById(db, key.id, 'cli:ops'), false, 'revoked once');
  t.equal(await authenticate(db, token), null, 'a revoked key is refused');
  t.ok((await listApiKeyInfos(db))[0]!.revokedAt);

  const audit = await db
    .selectFrom('audit_log')
    .select(['actor', 'key_id', 'action'])
    .orderBy('id')
    .execute();
  t.same(audit, [
    { actor: 'cli:ops', key_id: key.id, action: 'keys.create' },
    { actor: 'cli:ops', key_id: key.id, action: 'keys.revoke' },
  ]);
});

t.test('key specifications are validated and nothing is stored', async (t) => {
  const { db } = await testDb(t);
  const bad = [
    { name: '', scopes: ['admin'] },
    { name: 'x'.repeat(101), scopes: ['admin'] },
    { name: 'x', scopes: [] },
    { name: 'x', scopes: ['root'] },
    { name: 'x', scopes: ['admin'], uais: ['12345'] },
    { name: 'x', scopes: ['admin'], uais: [] },
  ];
  for (const spec of bad) {
    await t.rejects(
      createApiKey(db, { ...spec, actor: 'test' }),
      { code: 'KEYS_ERR_SPEC' },
      JSON.stringify(spec),
    );
  }
  t.same(await listApiKeyInfos(db), []);
});
