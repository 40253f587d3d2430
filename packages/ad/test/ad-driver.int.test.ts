import { retrieveCredentials } from '@aaf-sync/credentials';
import { sql } from '@aaf-sync/db';
import { reconcileTarget } from '@aaf-sync/targets';
import {
  seedClassGroup,
  seedMembership,
  seedRelativeLink,
  seedTeachingLink,
} from '@aaf-sync/testing';
import t from 'tap';
import {
  adWorld,
  bindAs,
  box,
  provisionAll,
  replayAll,
  UAI_A,
  UAI_B,
  type AdWorld,
} from './fixtures.js';

const AUDIT = { actor: 'cli:test' };

/** Two pupils in 6A (one also in LATIN), a pupil of S-B, a teacher of 6A, staff, a relative. */
async function seedSchool(w: AdWorld) {
  const ids = {
    e1: await w.person({
      jointure: 'E1',
      login: 'lmartin',
      category: 'pupil',
      givenName: 'Léa',
      sn: 'Martin',
      structures: ['S-A'],
    }),
    e2: await w.person({
      jointure: 'E2',
      login: 'tpetit',
      category: 'pupil',
      givenName: 'Tom',
      sn: 'Petit',
      structures: ['S-A'],
    }),
    e3: await w.person({
      jointure: 'E3',
      login: 'zmartin',
      category: 'pupil',
      givenName: 'Zoé',
      sn: 'Martin',
      structures: ['S-B'],
    }),
    t1: await w.person({
      jointure: 'T1',
      login: 'pprof',
      category: 'staff',
      profile: 'teacher',
      givenName: 'Paul',
      sn: 'Prof',
      structures: ['S-A'],
      mail: 'paul.prof@ac-test.fr',
    }),
    s1: await w.person({
      jointure: 'S1',
      login: 'aadmin',
      category: 'staff',
      profile: 'staff',
      givenName: 'Alice',
      sn: 'Admin',
      structures: ['S-A'],
    }),
    r1: await w.person({
      jointure: 'R1',
      login: 'amartin',
      category: 'relative',
      givenName: 'Anne',
      sn: 'Martin',
      structures: ['S-A'],
    }),
  };
  const sixA = await seedClassGroup(w.db, { structure: 'S-A', kind: 'class', code: '6A' });
  const latin = await seedClassGroup(w.db, { structure: 'S-A', kind: 'group', code: 'LATIN' });
  const fiveB = await seedClassGroup(w.db, { structure: 'S-B', kind: 'class', code: '5B' });
  await seedClassGroup(w.db, { structure: 'S-A', kind: 'class', code: '6B' });
  await seedMembership(w.db, sixA, 'E1');
  await seedMembership(w.db, latin, 'E1');
  await seedMembership(w.db, sixA, 'E2');
  await seedMembership(w.db, fiveB, 'E3');
  await seedTeachingLink(w.db, { person: 'T1', structure: 'S-A', kind: 'class', code: '6A' });
  await seedRelativeLink(w.db, { pupil: 'E1', relative: 'R1', legal: 1 });
  await provisionAll(w);
  return ids;
}

const sortedDns = (v: readonly string[] | undefined) =>
  [...(v ?? [])].map((d) => d.toLowerCase()).sort();

t.test(
  'creation: OUs, users, groups by DN, home and quota, a password set over LDAPS that binds; zero writes when in sync',
  async (t) => {
    const w = await adWorld(t);
    await seedSchool(w);
    t.same(await w.sync(), { applied: 5, failed: 0, excluded: 1 }, 'the relative gets no account');
    const lea = w.login('lmartin');
    const leaDn = w.userDn(UAI_A, 'Eleves', `Léa Martin (${lea})`);
    t.match(
      await w.read(leaDn),
      {
        samaccountname: [lea],
        userprincipalname: [`${lea}@aaf.test`],
        givenname: ['Léa'],
        sn: ['Martin'],
        displayname: ['Léa Martin'],
        employeenumber: ['E1'],
        department: ['6A'],
        homedirectory: [`\\\\srv-${UAI_A}\\eleves$\\${lea}`],
        homedrive: ['H:'],
        maxstorage: [String(1024 * 1024 * 1024)],
        useraccountcontrol: ['512'],
      },
      'the pupil, enabled',
    );
    const tomDn = w.userDn(UAI_A, 'Eleves', `Tom Petit (${w.login('tpetit')})`);
    const paulDn = w.userDn(UAI_A, 'Profs', `Paul Prof (${w.login('pprof')})`);
    t.match(await w.read(paulDn), {
      mail: ['paul.prof@ac-test.fr'],
      maxstorage: [String(6144 * 1024 * 1024)],
    });
    t.ok(await w.read(w.userDn(UAI_A, 'Personnels', `Alice Admin (${w.login('aadmin')})`)));
    t.ok(await w.read(w.userDn(UAI_B, 'Eleves', `Zoé Martin (${w.login('zmartin')})`)));
    const sixA = await w.read(w.groupDn(UAI_A, '6a'));
    t.same(sortedDns(sixA?.member), sortedDns([leaDn, tomDn]), 'class group members by DN');
    t.same(sixA?.samaccountname, [`${UAI_A.toLowerCase()}-6a-${w.tag}`]);
    t.same(sixA?.grouptype, ['-2147483646'], 'a global security group');
    t.same(sortedDns((await w.read(w.groupDn(UAI_A, 'latin')))?.member), sortedDns([leaDn]));
    t.same(sortedDns((await w.read(w.groupDn(UAI_A, 'profs-6a')))?.member), sortedDns([paulDn]));

    // The initial password: sealed, set, retrievable on the sheet; a bind with it succeeds.
    const sheet = await retrieveCredentials(w.db, box, {
      target: w.target,
      uai: UAI_A,
      classCode: '6A',
      purge: true,
      audit: AUDIT,
    });
    const entry = sheet.classes.flatMap((c) => c.entries).find((e) => e.login === lea);
    t.ok(entry, 'on the class sheet');
    await bindAs(w, `${lea}@aaf.test`, entry!.password);
    t.pass('a bind with the sheet’s password succeeds over LDAPS');
    await t.rejects(bindAs(w, `${lea}@aaf.test`, 'Not-the-password-9'), 'a wrong one fails');

    // Zero writes when in sync: a replay of every row, then a full reconcile.
    const writes = { ...w.stats };
    await replayAll(w);
    t.same(await w.sync(), { applied: 5, failed: 0, excluded: 1 });
    t.same(w.stats, writes, 'no add, modify, rename, group write, password or enable');
    const report = await reconcileTarget(w.db, w.target, w.driver);
    t.match(report, { marked: 0 });
    t.match(report.totals, { inSync: 5, toCreate: 0, toUpdate: 0, toDisable: 0, orphans: 0 });
  },
);

t.test('rename, class move, hand edits; departure disables, restoration enables', async (t) => {
  const w = await adWorld(t);
  await seedSchool(w);
  await w.sync();
  const tom = w.login('tpetit');
  const tomDn = w.userDn(UAI_A, 'Eleves', `Tom Petit (${tom})`);

  // Rename: the CN depends on the names (modifyDN); sAMAccountName never changes.
  await sql`update person set sn = 'Grand' where jointure = 'E2'`.execute(w.db);
  // Class move: 6A → 6B.
  await sql`delete from membership where person_jointure = 'E2' and class_group_id =
    (select id from class_group where code = '6A')`.execute(w.db);
  await sql`insert into membership (class_group_id, person_jointure)
    select id, 'E2' from class_group where code = '6B'`.execute(w.db);
  await replayAll(w);
  t.same((await w.sync()).failed, 0);
  const movedDn = w.userDn(UAI_A, 'Eleves', `Tom Grand (${tom})`);
  t.equal(await w.read(tomDn), null, 'the old DN is gone');
  t.match(await w.read(movedDn), {
    samaccountname: [tom],
    sn: ['Grand'],
    displayname: ['Tom Grand'],
    department: ['6B'],
  });
  t.equal(w.stats.renames, 1, 'one modifyDN');
  t.same(
    sortedDns((await w.read(w.groupDn(UAI_A, '6a')))?.member),
    sortedDns([w.userDn(UAI_A, 'Eleves', `Léa Martin (${w.login('lmartin')})`)]),
    'left 6A',
  );
  t.same(
    sortedDns((await w.read(w.groupDn(UAI_A, '6b')))?.member),
    sortedDns([movedDn]),
    'joined 6B (created)',
  );
  t.match((await w.rows()).get('E2'), { status: 'applied', target_key: movedDn });

  // By hand in the domain: one of ours changed, one not ours added, a kept one changed, a group
  // of the site's own.
  await w.admin.modify(movedDn, [
    { operation: 'replace', attribute: 'sn', values: ['Hacked'] },
    { operation: 'replace', attribute: 'description', values: ['note of the domain admin'] },
    { operation: 'replace', attribute: 'homeDirectory', values: ['\\\\other\\tom'] },
  ]);
  const local = `CN=local-${w.tag},${w.ad.baseDn}`;
  await w.admin.add(local, {
    objectClass: ['top', 'group'],
    sAMAccountName: [`local-${w.tag}`],
    member: [movedDn],
  });
  const report = await reconcileTarget(w.db, w.target, w.driver);
  t.match(report.totals, { toUpdate: 1, toCreate: 0 });
  await w.sync();
  t.match(
    await w.read(movedDn),
    { sn: ['Grand'], description: ['note of the domain admin'], homedirectory: ['\\\\other\\tom'] },
    'ours restored, theirs kept, a kept attribute left as the admin set it',
  );
  t.same(
    sortedDns((await w.read(local))?.member),
    sortedDns([movedDn]),
    'a group not ours is left',
  );

  // Departure: disabled (514), out of our groups, never deleted.
  const leaDn = w.userDn(UAI_A, 'Eleves', `Léa Martin (${w.login('lmartin')})`);
  await sql`update person set state = 'departed', departed_at = now() where jointure = 'E1'`.execute(
    w.db,
  );
  await replayAll(w);
  await w.sync();
  t.match(await w.read(leaDn), { useraccountcontrol: ['514'], employeenumber: ['E1'] }, 'disabled');
  t.notOk((await w.read(w.groupDn(UAI_A, 'latin')))?.member, 'out of her option');
  t.notOk((await w.read(w.groupDn(UAI_A, '6a')))?.member, 'and her class');
  t.match((await w.rows()).get('E1'), { status: 'excluded', target_key: leaDn });
  t.match((await reconcileTarget(w.db, w.target, w.driver)).totals, {
    toCreate: 0,
    toUpdate: 0,
    toDisable: 0,
    orphans: 0,
  });

  // Restoration: enabled (512), back in her groups, with the password she had.
  await sql`update person set state = 'active', departed_at = null where jointure = 'E1'`.execute(
    w.db,
  );
  await replayAll(w);
  t.same((await w.sync()).failed, 0);
  t.match(await w.read(leaDn), { useraccountcontrol: ['512'] }, 'enabled again');
  t.same(
    sortedDns((await w.read(w.groupDn(UAI_A, '6a')))?.member),
    sortedDns([leaDn]),
    'back in 6A',
  );
  t.same(sortedDns((await w.read(w.groupDn(UAI_A, 'latin')))?.member), sortedDns([leaDn]));
});

t.test('a relative (profile with relatives) losing its last legal link is disabled', async (t) => {
  const w = await adWorld(t, { profile: { profiles: ['pupil', 'relative'] } });
  await seedSchool(w);
  t.same(await w.sync(), { applied: 4, failed: 0, excluded: 2 }, 'staff excluded by the profile');
  const anneDn = w.userDn(UAI_A, 'Parents', `Anne Martin (${w.login('amartin')})`);
  t.match(await w.read(anneDn), { useraccountcontrol: ['512'], homedirectory: undefined });
  await sql`delete from relative_link where relative_jointure = 'R1'`.execute(w.db);
  await replayAll(w);
  await w.sync();
  t.match(await w.read(anneDn), { useraccountcontrol: ['514'] }, 'disabled, not deleted');
});

t.test(
  'a login over 20 characters fails its account clearly; the others are applied',
  async (t) => {
    const w = await adWorld(t);
    await w.person({
      jointure: 'E1',
      login: 'lmartin',
      category: 'pupil',
      givenName: 'Léa',
      sn: 'Martin',
      structures: ['S-A'],
    });
    // 16 + the 5-character tag = 21.
    await w.person({
      jointure: 'E2',
      login: 'jdelafontainemar',
      category: 'pupil',
      givenName: 'Jean',
      sn: 'de la Fontaine-Martin',
      structures: ['S-A'],
    });
    await provisionAll(w);
    t.same(await w.sync(), { applied: 1, failed: 1, excluded: 0 });
    const long = w.login('jdelafontainemar');
    t.equal(long.length, 21);
    const row = (await w.rows()).get('E2');
    t.equal(row?.status, 'failed');
    t.equal(
      row?.last_error,
      `login ${long} has 21 characters: sAMAccountName takes at most 20`,
      'AD_ERR_LOGIN_TOO_LONG',
    );
    const found = await w.admin.search(w.ad.baseDn, {
      filter: '(employeeNumber=E2)',
      attributes: ['1.1'],
    });
    t.equal(found.length, 0, 'nothing written for it');
  },
);
