import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import {
  seedClassGroup,
  seedIdentifier,
  seedMembership,
  seedPerson,
  seedStructure,
  testDb,
} from '@aaf-sync/testing';
import { cli } from './run.js';

t.test('export-ldif writes the subtree of a Scribe target', async (t) => {
  const { db, url } = await testDb(t);
  const dir = await mkdtemp(join(tmpdir(), 'aaf-export-'));
  t.teardown(() => rm(dir, { recursive: true }));
  const secrets = join(dir, 'secrets.json');
  await writeFile(secrets, JSON.stringify({ bindPassword: 'x' }));
  await seedStructure(db, { jointure: 'S-A', uai: '0750001A', name: 'Collège A' });
  const id = await seedPerson(db, {
    jointure: 'E1',
    category: 'pupil',
    givenName: 'Léa',
    sn: 'Martin',
    structures: ['S-A'],
  });
  await seedIdentifier(db, { personId: id, namespace: 'scribe', value: 'lea.martin' });
  await seedMembership(
    db,
    await seedClassGroup(db, { structure: 'S-A', kind: 'class', code: '6A' }),
    'E1',
  );
  const base = 'ou=ac-test,ou=education,o=gouv,c=fr';
  const add = await cli(
    [
      'targets',
      'add',
      '--kind',
      'scribe',
      '--name',
      'scribe-a',
      '--uai',
      '0750001A',
      '--options',
      JSON.stringify({
        url: 'ldap://scribe.example',
        baseDn: base,
        bindDn: 'cn=admin,o=gouv,c=fr',
      }),
      '--secrets-file',
      secrets,
    ],
    url,
  );
  t.equal(add.code, 0, add.stderr);
  const res = await cli(['export-ldif', '--target', 'scribe-a'], url);
  t.equal(res.code, 0, res.stderr);
  t.match(res.stdout, `dn: ou=0750001A,${base}\n`);
  t.match(
    res.stdout,
    `dn: uid=lea.martin,ou=local,ou=eleves,ou=utilisateurs,ou=0750001A,${base}\n`,
  );
  t.match(res.stdout, /^uidNumber: 10000$/m);
  t.match(res.stdout, /^memberUid: lea\.martin$/m);
  // 10 OUs, 1 account, groups 6a, profs-6a, eleves.
  t.match(res.stderr, /^14 entries$/m);

  t.equal(
    (await cli(['targets', 'add', '--kind', 'noop', '--name', 'noop-a', '--uai', '0750001A'], url))
      .code,
    0,
  );
  const wrongKind = await cli(['export-ldif', '--target', 'noop-a'], url);
  t.equal(wrongKind.code, 2);
  t.match(wrongKind.stderr, /not scribe/);
});
