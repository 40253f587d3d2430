import { sshaVerify } from '@aaf-sync/ldap';
import t from 'tap';
import { driverPasswords, resetPassword, retrieveCredentials } from '@aaf-sync/credentials';
import { sql } from '@aaf-sync/db';
import { connectLdapts, parseConnectionOptions } from '@aaf-sync/ldap';
import { seedClassGroup, seedMembership } from '@aaf-sync/testing';
import { box, scribeWorld, UAI_A, type ScribeWorld } from './fixtures.js';

const AUDIT = { actor: 'cli:test' };

/** Resolves when `password` opens a session as `dn` on the test slapd; rejects otherwise. */
async function bind(w: ScribeWorld, dn: string, password: string): Promise<void> {
  const session = await connectLdapts(
    parseConnectionOptions({
      url: w.target.options.url as string,
      bindDn: dn,
      bindPassword: password,
    }),
  );
  await session.close();
}

async function sheetPassword(
  w: ScribeWorld,
  login: string,
): Promise<{ password: string; reason: string }> {
  const sheet = await retrieveCredentials(w.db, box, {
    target: w.target,
    uai: UAI_A,
    classCode: '6A',
    purge: true,
    audit: AUDIT,
  });
  const entry = sheet.classes.flatMap((c) => c.entries).find((e) => e.login === login);
  if (!entry) throw new Error(`${login} is not on the sheet`);
  return entry;
}

t.test('creation sets a generated password slapd accepts; a reset replaces it', async (t) => {
  const w = await scribeWorld(t, { deps: { passwords: (context) => driverPasswords(context) } });
  const id = await w.person({
    jointure: 'E1',
    login: 'lea.martin',
    category: 'pupil',
    givenName: 'Léa',
    sn: 'Martin',
    structures: ['S-A'],
  });
  const sixA = await seedClassGroup(w.db, { structure: 'S-A', kind: 'class', code: '6A' });
  await seedMembership(w.db, sixA, 'E1');
  await sql`insert into provisioning (target_id, person_id, desired_version)
    values (${w.target.id}, ${id}, 1) on conflict do nothing`.execute(w.db);

  t.same(await w.sync(), { applied: 1, failed: 0, excluded: 0 });
  const dn = w.userDn(UAI_A, 'eleves', 'lea.martin');
  const stored = await w.read(dn, ['userPassword']);
  const hash = String(stored?.userpassword?.[0]);
  t.match(hash, /^\{SSHA\}/, 'the server holds a hash');
  const row = await w.db
    .selectFrom('credential')
    .selectAll()
    .where('person_id', '=', id)
    .executeTakeFirstOrThrow();
  t.match(row, { login: 'lea.martin', reason: 'initial', state: 'set' });

  const first = await sheetPassword(w, 'lea.martin');
  t.equal(first.reason, 'initial');
  t.ok(sshaVerify(first.password, hash), 'the sheet’s password is the one on the server');
  await bind(w, dn, first.password);
  t.pass('a bind with the initial password succeeds');

  // A replay writes no new password (nothing pending).
  await sql`update provisioning set status = 'pending', desired_version = desired_version + 1
    where target_id = ${w.target.id}`.execute(w.db);
  const before = w.stats.passwords;
  await w.sync();
  t.equal(w.stats.passwords, before, 'no password written by a replay');

  const [where] = await resetPassword(w.db, box, { personId: id, account: 'E1', audit: AUDIT });
  t.match(where, { target: 'scribe-test', login: 'lea.martin', uai: UAI_A, classCode: '6A' });
  await bind(w, dn, first.password);
  t.pass('until the worker runs, the old password still works');
  t.same(await w.sync(), { applied: 1, failed: 0, excluded: 0 });
  const second = await sheetPassword(w, 'lea.martin');
  t.equal(second.reason, 'reset');
  t.not(second.password, first.password);
  await bind(w, dn, second.password);
  t.pass('a bind with the new password succeeds');
  await t.rejects(bind(w, dn, first.password), 'the old password fails');
});
