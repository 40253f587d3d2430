import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_VARS } from '@aaf-sync/config';
import { createPasswordPort } from '@aaf-sync/credentials';
import { createSecretBox, createTarget, findTarget } from '@aaf-sync/targets';
import {
  seedClassGroup,
  seedIdentifier,
  seedMembership,
  seedPerson,
  seedStructure,
  testDb,
} from '@aaf-sync/testing';
import t from 'tap';
import { cli } from './run.js';

const A = '0750001A';

t.test('credentials, password-reset and purge-credentials', async (t) => {
  const { db, url } = await testDb(t);
  // The CLI runs with the default TARGET_SECRETS_KEY (its env is only DATABASE_URL here).
  const box = createSecretBox(ENV_VARS.TARGET_SECRETS_KEY.default);
  await seedStructure(db, { jointure: 'S-A', uai: A, name: 'Collège A' });
  const cls = await seedClassGroup(db, { structure: 'S-A', kind: 'class', code: '3A' });
  const id = await seedPerson(db, {
    jointure: 'A1',
    category: 'pupil',
    givenName: 'Léa',
    sn: 'Martin',
    structures: ['S-A'],
  });
  await seedIdentifier(db, { personId: id, namespace: 'scribe', value: 'lea.martin' });
  await seedMembership(db, cls, 'A1');
  await createTarget(
    db,
    box,
    {
      kind: 'scribe',
      name: 'scribe-a',
      uais: [A],
      options: { url: 'ldap://scribe.invalid', baseDn: 'o=gouv,c=fr', bindDn: 'cn=admin' },
      secrets: { bindPassword: 'x' },
    },
    'test',
  );
  const target = { id: Number((await findTarget(db, 'scribe-a')).id), name: 'scribe-a' };
  const port = createPasswordPort(db, box, target);
  // What the Scribe driver does at creation.
  const initial = (await port.forCreation([{ personId: id, login: 'lea.martin' }])).get(id)!;
  await port.markSet([id]);

  const usage = await cli(['credentials', '--target', 'scribe-a'], url);
  t.not(usage.code, 0);
  t.match(usage.stderr, /--target and --uai are required/);

  const out = join(t.testdir(), 'sheet.csv');
  const first = await cli(
    ['credentials', '--target', 'scribe-a', '--uai', A, '--class', '3A', '--out', out],
    url,
  );
  t.equal(first.code, 0, first.stderr);
  t.match(first.stdout, /1 password\(s\) of scribe-a for 0750001A class 3A; stored copy purged/);
  t.equal(
    readFileSync(out, 'utf8'),
    `uai,classe,nom,prenom,login,mot_de_passe,motif\r\n${A},3A,Martin,Léa,lea.martin,${initial},initial\r\n`,
  );
  t.equal(statSync(out).mode & 0o777, 0o600, 'readable by its owner only');

  const second = await cli(['credentials', '--target', 'scribe-a', '--uai', A], url);
  t.not(second.code, 0);
  t.match(second.stderr, /CREDENTIALS_ERR_ALREADY_RETRIEVED/);
  const audit = await db
    .selectFrom('audit_log')
    .select(['actor', 'action', 'details'])
    .where('action', '=', 'credentials.retrieve')
    .execute();
  t.match(audit, [
    { actor: /^cli/, details: { target: 'scribe-a', uai: A, class: '3A', count: 1 } },
  ]);

  const reset = await cli(['password-reset', 'jointure:A1'], url);
  t.equal(reset.code, 0, reset.stderr);
  t.match(
    reset.stdout,
    'scribe-a: new password for lea.martin pending; once set, retrieve it with ' +
      `aaf-sync credentials --target scribe-a --uai ${A} --class 3A`,
  );
  const row = await db
    .selectFrom('provisioning')
    .select(['status'])
    .where('person_id', '=', id)
    .executeTakeFirstOrThrow();
  t.equal(row.status, 'pending', 'the targets process will set it');
  t.not((await cli(['password-reset', 'nobody'], url)).code, 0, 'an unknown account');

  const next = (await port.pending([id])).get(id)!.password;
  await port.markSet([id]);
  const html = await cli(
    ['credentials', '--target', 'scribe-a', '--uai', A, '--format', 'html'],
    url,
  );
  t.equal(html.code, 0, html.stderr);
  t.match(html.stdout, /^<!doctype html>/);
  t.ok(html.stdout.includes(next.replace(/&/g, '&amp;')), 'the new password is on the sheet');
  t.not(next, initial);

  await port.forCreation([{ personId: id, login: 'lea.martin' }]);
  const purge = await cli(['purge-credentials', '--before', '2999-01-01'], url);
  t.equal(purge.code, 0, purge.stderr);
  t.match(purge.stdout, /^1 stored password\(s\) issued before 2999-01-01 purged/);
  const raw = await db.selectFrom('credential').selectAll().execute();
  t.match(raw, [{ state: 'purged', ciphertext: null, key_id: null }]);
  t.not((await cli(['purge-credentials', '--before', 'soon'], url)).code, 0);
});
