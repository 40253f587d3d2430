import t from 'tap';
import { appendEvents, sql } from '@aaf-sync/db';
import { connectLdapts, parseConnectionOptions } from '@aaf-sync/ldap';
import { dispatchTarget, reconcileTarget } from '@aaf-sync/targets';
import {
  recordingPasswords,
  replayAll,
  scribeWorld,
  seedSchool,
  UAI_A,
  UAI_B,
  type ScribeWorld,
} from './fixtures.js';

type Entity = 'person' | 'membership' | 'relative_link';

/** Events as the importer writes them, then the dispatcher marks the rows they concern. */
async function changed(
  w: ScribeWorld,
  events: {
    type: Entity;
    key: string;
    op?: 'updated' | 'departed' | 'restored' | 'created' | 'deleted';
  }[],
) {
  await w.db.transaction().execute((trx) =>
    appendEvents(
      trx,
      events.map((e) => ({
        entityType: e.type,
        entityKey: e.key,
        op: e.op ?? 'updated',
        version: 2,
        uais: [UAI_A, UAI_B],
      })),
    ),
  );
  await dispatchTarget(w.db, w.target.id);
}

const entryCsns = async (w: ScribeWorld) =>
  (await w.admin.search(w.base, { attributes: ['entryCSN'] }))
    .map((e) => `${e.dn} ${e.attributes.entrycsn}`)
    .sort();

t.test(
  'accounts, groups and teams arrive; a replay and a full reconcile write nothing',
  async (t) => {
    const passwords = recordingPasswords();
    const w = await scribeWorld(t, { deps: { passwords: passwords.port } });
    const ids = await seedSchool(w);
    const first = await w.sync();
    t.same(first, { applied: 6, failed: 0, excluded: 0 });

    const lea = await w.read(w.userDn(UAI_A, 'eleves', 'lea.martin'));
    t.match(lea, {
      uid: ['lea.martin'],
      cn: ['Léa Martin'],
      entpersonprofils: ['eleve'],
      entpersonjointure: ['E1'],
      divcod: ['6a'],
      enteleveclasses: [`ou=${UAI_A},${w.base}$6a`],
      ine: ['1234567890A'],
      datenaissance: ['20120304'],
      entpersondatenaissance: ['04/03/2012'],
      homedirectory: ['/home/l/lea.martin'],
      uidnumber: [/^100\d\d$/],
      userpassword: [/^\{SSHA\}/],
    });
    t.notOk(lea?.shadowexpire, 'enabled');
    const sixA = await w.read(w.groupDn(UAI_A, '6a'));
    t.match(sixA, { type: ['Classe'] });
    t.same([...(sixA?.memberuid ?? [])].sort(), ['lea.martin', 'tom.petit'], 'both pupils in 6A');
    t.match(await w.read(w.groupDn(UAI_A, 'latin')), {
      type: ['Option'],
      memberuid: ['lea.martin'],
    });
    t.match(await w.read(w.groupDn(UAI_A, 'profs-6a')), {
      type: ['Equipe'],
      memberuid: ['p.prof'],
    });
    t.ok(await w.read(w.groupDn(UAI_A, 'profs-latin')), 'a team comes with each class and option');
    t.match(await w.read(w.groupDn(UAI_B, '5b')), { memberuid: ['zoe.martin'] });
    t.match(await w.read(w.userDn(UAI_A, 'personnels', 'p.prof')), {
      entauxensclasses: [`ou=${UAI_A},${w.base}$6a`],
      entpersonprofils: ['enseignant'],
    });
    t.match(await w.read(w.userDn(UAI_A, 'personnels', 'a.admin')), {
      entpersonprofils: ['administratif'],
    });
    const anne = await w.read(w.userDn(UAI_A, 'responsables', 'anne.martin'));
    t.same(
      [...(anne?.entauxpersreleleveeleve ?? [])].sort(),
      [w.userDn(UAI_A, 'eleves', 'lea.martin'), w.userDn(UAI_B, 'eleves', 'zoe.martin')].sort(),
      'a legal relative linked to her two children, in two schools',
    );
    t.notOk(anne?.uidnumber, 'relatives are not POSIX accounts');

    // The password set at creation opens a session.
    const user = await connectLdapts(
      parseConnectionOptions({
        url: w.target.options.url as string,
        bindDn: w.userDn(UAI_A, 'eleves', 'lea.martin'),
        bindPassword: `Init-${ids.e1}-pw`,
      }),
    );
    await user.close();
    t.equal(passwords.set.size, 6, 'every POSIX and relative account got its initial password');

    // Zero writes when in sync: replaying every row, then a full reconcile.
    const writes = { ...w.stats };
    const csns = await entryCsns(w);
    await replayAll(w.db, w.target.id);
    t.same(await w.sync(), { applied: 6, failed: 0, excluded: 0 });
    t.same(w.stats, writes, 'no add, modify, rename, group write or password');
    t.same(await entryCsns(w), csns, 'no entry changed on the server');
    const report = await reconcileTarget(w.db, w.target, w.driver);
    t.match(report.totals, { inSync: 6, toCreate: 0, toUpdate: 0, toDisable: 0, orphans: 0 });
  },
);

t.test('rename, class move, school move, hand edits, a deleted entry and an orphan', async (t) => {
  const w = await scribeWorld(t);
  await seedSchool(w);
  await w.sync();
  const leaDn = w.userDn(UAI_A, 'eleves', 'lea.martin');
  const uidNumber = (await w.read(leaDn, ['uidNumber']))?.uidnumber;

  // Rename: sn and cn change, uid and DN do not.
  await sql`update person set sn = 'Martin-Durand' where jointure = 'E1'`.execute(w.db);
  // Class move: 6A → 6B.
  await sql`delete from membership where person_jointure = 'E1' and class_group_id =
    (select id from class_group where code = '6A')`.execute(w.db);
  await sql`insert into membership (class_group_id, person_jointure)
    select id, 'E1' from class_group where code = '6B'`.execute(w.db);
  // School move of Zoé (S-B → S-A): her DN depends on the school.
  await sql`update person_structure set structure_jointure = 'S-A' where person_jointure = 'E3'`.execute(
    w.db,
  );
  await changed(w, [
    { type: 'person', key: 'E1' },
    { type: 'membership', key: 'class:S-A$6A|E1', op: 'deleted' },
    { type: 'membership', key: 'class:S-A$6B|E1', op: 'created' },
    { type: 'person', key: 'E3' },
  ]);
  t.same((await w.sync()).failed, 0);
  t.match(await w.read(leaDn), {
    sn: ['Martin-Durand'],
    cn: ['Léa Martin-Durand'],
    uid: ['lea.martin'],
    divcod: ['6b'],
    uidnumber: uidNumber,
  });
  t.same((await w.read(w.groupDn(UAI_A, '6a')))?.memberuid, ['tom.petit'], 'left 6A');
  t.same((await w.read(w.groupDn(UAI_A, '6b')))?.memberuid, ['lea.martin'], 'joined 6B (created)');
  t.ok(await w.read(w.groupDn(UAI_A, 'profs-6b')), 'with its teaching team');
  t.equal(await w.read(w.userDn(UAI_B, 'eleves', 'zoe.martin')), null, 'moved away…');
  t.match(await w.read(w.userDn(UAI_A, 'eleves', 'zoe.martin')), { uid: ['zoe.martin'] });
  t.notOk((await w.read(w.groupDn(UAI_B, '5b')))?.memberuid, 'out of her old school’s class');
  t.same(
    [
      ...((await w.read(w.userDn(UAI_A, 'responsables', 'anne.martin')))?.entauxpersreleleveeleve ??
        []),
    ].sort(),
    [leaDn, w.userDn(UAI_A, 'eleves', 'zoe.martin')].sort(),
    'her mother’s entry follows (the pupil’s event reached the relative)',
  );

  // By hand on the server: one of our attributes changed, a local one added, an entry deleted,
  // a local account created.
  const tomDn = w.userDn(UAI_A, 'eleves', 'tom.petit');
  await w.admin.modify(tomDn, [
    { operation: 'replace', attribute: 'sn', values: ['Hacked'] },
    { operation: 'add', attribute: 'description', values: ['note of the Scribe admin'] },
  ]);
  const profDn = w.userDn(UAI_A, 'personnels', 'p.prof');
  const profNumber = (await w.read(profDn, ['uidNumber']))?.uidnumber;
  await w.admin.delete(profDn);
  const orphan = w.userDn(UAI_A, 'eleves', 'local.guest');
  await w.admin.add(orphan, {
    objectClass: ['inetOrgPerson'],
    uid: ['local.guest'],
    cn: ['Guest'],
    sn: ['Guest'],
  });
  const report = await reconcileTarget(w.db, w.target, w.driver);
  t.match(report.totals, { toUpdate: 1, toCreate: 1, orphans: 1 });
  t.same(
    report.orphans.map((o) => o.key),
    [orphan],
    'the local account is reported',
  );
  await w.sync();
  t.match(
    await w.read(tomDn),
    { sn: ['Petit'], description: ['note of the Scribe admin'] },
    'ours restored, theirs kept',
  );
  t.match(
    await w.read(profDn),
    { uid: ['p.prof'], uidnumber: profNumber },
    'recreated with its number',
  );
  t.same((await w.read(w.groupDn(UAI_A, 'profs-6a')))?.memberuid, ['p.prof'], 'and its team');
  t.ok(await w.read(orphan), 'the orphan is never deleted');
  t.match((await reconcileTarget(w.db, w.target, w.driver)).totals, {
    toUpdate: 0,
    toCreate: 0,
    orphans: 1,
  });
});

t.test(
  'departure disables, restoration enables; a relative without a legal child is disabled',
  async (t) => {
    const w = await scribeWorld(t);
    await seedSchool(w);
    await w.sync();
    const leaDn = w.userDn(UAI_A, 'eleves', 'lea.martin');
    const anneDn = w.userDn(UAI_A, 'responsables', 'anne.martin');

    await sql`update person set state = 'departed', departed_at = now() where jointure = 'E1'`.execute(
      w.db,
    );
    await changed(w, [{ type: 'person', key: 'E1', op: 'departed' }]);
    await w.sync();
    t.match(
      await w.read(leaDn),
      { shadowexpire: ['1'], uid: ['lea.martin'] },
      'disabled, not deleted',
    );
    t.same((await w.read(w.groupDn(UAI_A, '6a')))?.memberuid, ['tom.petit'], 'out of her class');
    t.notOk((await w.read(w.groupDn(UAI_A, 'latin')))?.memberuid, 'and her option');
    t.same(
      (await w.read(anneDn))?.entauxpersreleleveeleve,
      [w.userDn(UAI_B, 'eleves', 'zoe.martin')],
      'her mother keeps her other child',
    );
    t.match((await w.rows()).get('E1'), { status: 'excluded', target_key: leaDn });
    t.match((await reconcileTarget(w.db, w.target, w.driver)).totals, {
      toCreate: 0,
      toUpdate: 0,
      toDisable: 0,
      orphans: 0,
    });

    await sql`update person set state = 'active', departed_at = null where jointure = 'E1'`.execute(
      w.db,
    );
    await changed(w, [{ type: 'person', key: 'E1', op: 'restored' }]);
    await w.sync();
    t.notOk((await w.read(leaDn))?.shadowexpire, 'enabled again');
    t.same(
      [...((await w.read(w.groupDn(UAI_A, '6a')))?.memberuid ?? [])].sort(),
      ['lea.martin', 'tom.petit'],
      'back in her class',
    );

    // Anne loses both legal links (the second one was her last).
    await sql`delete from relative_link where relative_jointure = 'R1'`.execute(w.db);
    await changed(w, [
      { type: 'relative_link', key: 'E1|R1', op: 'deleted' },
      { type: 'relative_link', key: 'E3|R1', op: 'deleted' },
    ]);
    await w.sync();
    t.match(
      await w.read(anneDn),
      { shadowexpire: ['1'] },
      'a relative without a legal child is disabled',
    );
  },
);

t.test(
  'one account the server refuses fails with the reason; the others are applied',
  async (t) => {
    const w = await scribeWorld(t);
    await seedSchool(w);
    // Ine is an IA5 (ASCII) string in the schema: the server refuses this one.
    await sql`update person set ine = 'É12345678A' where jointure = 'E2'`.execute(w.db);
    const r = await w.sync();
    t.same(r, { applied: 5, failed: 1, excluded: 0 });
    const row = (await w.rows()).get('E2');
    t.equal(row?.status, 'failed');
    t.match(row?.last_error, /LDAP add of uid=tom\.petit,.* refused: .*Ine.*\(result 21\)/);
    t.ok(await w.read(w.userDn(UAI_A, 'eleves', 'lea.martin')), 'the others are there');
  },
);
