import t from 'tap';
import { testDb } from '@aaf-sync/testing';
import {
  createSecretBox,
  createTarget,
  findTarget,
  getTarget,
  listTargets,
  openSecrets,
  removeTarget,
  setTargetState,
  updateTarget,
} from '../src/index.js';
import {
  box,
  captureLog,
  KEY,
  rowsOf,
  seedAccounts,
  seedSchools,
  UAI_A,
  UAI_B,
} from './fixtures.js';

const scribe = (name: string, bindPassword = 'S3cret-pass') => ({
  kind: 'scribe',
  name,
  uais: [UAI_A],
  options: {
    url: 'ldap://scribe.example:389',
    baseDn: 'o=gouv,c=fr',
    bindDn: 'cn=admin,o=gouv,c=fr',
  },
  secrets: { bindPassword },
});

t.test('a target is stored with its secrets sealed, never returned nor logged', async (t) => {
  const { db } = await testDb(t);
  const view = await createTarget(db, box, scribe('scribe-a'), 'test');
  t.match(view, { name: 'scribe-a', kind: 'scribe', uais: [UAI_A], state: 'active' });
  t.equal(view.hasSecrets, true);
  t.equal(view.secretsKeyId, box.keyId);
  t.notMatch(JSON.stringify(view), /S3cret-pass/, 'the view holds no secret');
  t.notMatch(JSON.stringify(await listTargets(db)), /S3cret-pass|bindPassword/);

  const row = await findTarget(db, 'scribe-a');
  t.notOk(row.secrets_ciphertext?.includes('S3cret-pass'), 'not in clear in PostgreSQL');
  t.same(openSecrets(box, row), { bindPassword: 'S3cret-pass' });

  const { log, lines } = captureLog();
  log.info({ target: { ...view, secrets: { bindPassword: 'S3cret-pass' } } }, 'target');
  log.info({ bindPassword: 'S3cret-pass', signingSecret: 'whsec_abc' }, 'flat');
  t.notMatch(lines.join(''), /S3cret-pass|whsec_abc/, 'redacted in logs');
});

t.test('invalid definitions write nothing and say why', async (t) => {
  const { db } = await testDb(t);
  await t.rejects(createTarget(db, box, { ...scribe('x'), secrets: {} }, 'test'), {
    code: 'TARGETS_ERR_INVALID',
    message: /bindPassword/,
  });
  await t.rejects(createTarget(db, box, { ...scribe('x'), kind: 'teleport' }, 'test'), {
    code: 'TARGETS_ERR_INVALID',
  });
  await t.rejects(createTarget(db, box, { ...scribe('Bad Name') }, 'test'), {
    code: 'TARGETS_ERR_INVALID',
    message: /name/,
  });
  await t.rejects(createTarget(db, box, { ...scribe('x'), uais: ['nope'] }, 'test'), {
    code: 'TARGETS_ERR_INVALID',
    message: /uais/,
  });
  await t.rejects(
    createTarget(
      db,
      box,
      { kind: 'webhook', name: 'w', uais: [UAI_A], options: { url: 'ftp://x' } },
      'test',
    ),
    { code: 'TARGETS_ERR_INVALID', message: /options\.url/ },
  );
  t.same(await listTargets(db), [], 'nothing stored');
  await createTarget(db, box, scribe('dup'), 'test');
  await t.rejects(createTarget(db, box, scribe('dup'), 'test'), {
    code: 'TARGETS_ERR_NAME_TAKEN',
  });
  await t.rejects(getTarget(db, 'missing'), { code: 'TARGETS_ERR_NOT_FOUND' });
  await t.rejects(updateTarget(db, box, 'dup', { options: { url: 'http://x' } }), {
    code: 'TARGETS_ERR_INVALID',
  });
  t.equal((await getTarget(db, 'dup')).version, 1, 'a refused update changed nothing');
});

t.test('keys rotate: the key id travels with the ciphertext', async (t) => {
  const { db } = await testDb(t);
  await createTarget(db, box, scribe('rot'), 'test');
  const newKey = Buffer.alloc(32, 9).toString('base64');
  const rotated = createSecretBox(newKey, [KEY]);
  const before = await findTarget(db, 'rot');
  t.same(openSecrets(rotated, before), { bindPassword: 'S3cret-pass' }, 'old key still opens');
  t.throws(() => openSecrets(createSecretBox(newKey), before), {
    code: 'TARGETS_ERR_SECRETS_KEY_UNKNOWN',
  });
  const tampered = Buffer.from(before.secrets_ciphertext!);
  tampered[tampered.length - 1]! ^= 1;
  t.throws(() => openSecrets(box, { ...before, secrets_ciphertext: tampered }), {
    code: 'TARGETS_ERR_SECRETS_UNREADABLE',
  });
  t.throws(
    () => openSecrets(box, { ...before, kind: 'ad' }),
    {
      code: 'TARGETS_ERR_SECRETS_UNREADABLE',
    },
    'bound to its kind',
  );
  const view = await updateTarget(db, rotated, 'rot', { secrets: { bindPassword: 'n3w' } });
  t.equal(view.secretsKeyId, rotated.keyId, 'sealed again with the new key');
  t.same(openSecrets(rotated, await findTarget(db, 'rot')), { bindPassword: 'n3w' });
});

t.test('creation, suspension, resumption and removal drive the provisioning rows', async (t) => {
  const { db } = await testDb(t);
  await seedSchools(db);
  const inA = await seedAccounts(db, { prefix: 'A', structure: 'S-A', count: 3 });
  await seedAccounts(db, { prefix: 'B', structure: 'S-B', count: 2 });
  const view = await createTarget(
    db,
    box,
    { kind: 'noop', name: 'noop-a', uais: [UAI_A], options: {} },
    'test',
  );
  t.equal(view.cursor, 0, 'cursor at the head of the (empty) log');
  const rows = await rowsOf(db, view.id);
  t.same([...rows.keys()], inA, 'every account of the establishment is pending');
  t.ok([...rows.values()].every((r) => r.status === 'pending' && r.desired_version === 1));

  await setTargetState(db, 'noop-a', 'suspended', 'test');
  t.equal((await getTarget(db, 'noop-a')).state, 'suspended');
  await updateTarget(db, box, 'noop-a', { uais: [UAI_A, UAI_B] });
  t.equal((await rowsOf(db, view.id)).size, 5, 'a change of establishments reconciles in full');
  await setTargetState(db, 'noop-a', 'active', 'test');
  const resumed = await rowsOf(db, view.id);
  t.equal(resumed.get('A1')?.desired_version, 3, 'each full reconcile sets the rows pending again');

  t.same(
    (await listTargets(db, [UAI_A])).map((v) => v.name),
    [],
    'a scope sees only its own',
  );
  t.same(
    (await listTargets(db, [UAI_A, UAI_B])).map((v) => v.name),
    ['noop-a'],
  );
  await t.rejects(getTarget(db, 'noop-a', [UAI_B]), { code: 'TARGETS_ERR_NOT_FOUND' });

  await removeTarget(db, 'noop-a');
  t.equal((await rowsOf(db, view.id)).size, 0, 'rows go with the target');
  const consumers = await db.selectFrom('target_consumer').selectAll().execute();
  t.same(consumers, [], 'and its cursor');
});
