import { sql } from '@aaf-sync/db';
import {
  seedClassGroup,
  seedIdentifier,
  seedMembership,
  seedPerson,
  seedRelativeLink,
  seedTeachingLink,
  testDb,
} from '@aaf-sync/testing';
import t from 'tap';
import { loadAccounts } from '../src/index.js';
import { seedAccounts, seedSchools, UAI_A } from './fixtures.js';

t.test('a relative without an account (a contact) is no account for targets', async (t) => {
  const { db } = await testDb(t);
  await seedSchools(db);
  await seedAccounts(db, { prefix: 'P', structure: 'S-A', count: 2 });
  // P2 becomes a contact whose identifier stays reserved: it must read as absent.
  await sql`update person set category = 'relative', profile = 'relative', has_account = false
    where jointure = 'P2'`.execute(db);
  const { rows } = await sql<{ id: number; jointure: string }>`
    select id, jointure from person order by jointure`.execute(db);
  const accounts = await loadAccounts(
    db,
    rows.map((r) => Number(r.id)),
  );
  t.same(
    [...accounts.values()].map((a) => a.jointure),
    ['P1'],
    'only the account holder is loaded',
  );
});

t.test(
  'accounts carry classes, groups, teaching, birth date, INE and legal children',
  async (t) => {
    const { db } = await testDb(t);
    await seedSchools(db);
    const pupil = await seedPerson(db, {
      jointure: 'E1',
      category: 'pupil',
      givenName: 'Léa',
      sn: 'Martin',
      structures: ['S-A'],
      birthDate: '2012-03-04',
      ine: '1234567890A',
    });
    const sister = await seedPerson(db, {
      jointure: 'E2',
      category: 'pupil',
      givenName: 'Zoé',
      sn: 'Martin',
      structures: ['S-B'],
    });
    const teacher = await seedPerson(db, {
      jointure: 'T1',
      category: 'staff',
      givenName: 'Paul',
      sn: 'Prof',
      structures: ['S-A'],
    });
    const mother = await seedPerson(db, {
      jointure: 'R1',
      category: 'relative',
      givenName: 'Anne',
      sn: 'Martin',
    });
    for (const [id, login] of [
      [pupil, 'lmartin'],
      [sister, 'zmartin'],
      [teacher, 'pprof'],
      [mother, 'amartin'],
    ] as const) {
      await seedIdentifier(db, { personId: id, namespace: 'scribe', value: login });
    }
    const sixA = await seedClassGroup(db, { structure: 'S-A', kind: 'class', code: '6A' });
    const latin = await seedClassGroup(db, { structure: 'S-A', kind: 'group', code: 'LATIN' });
    await seedClassGroup(db, { structure: 'S-A', kind: 'class', code: '5B', state: 'empty' });
    await seedMembership(db, sixA, 'E1');
    await seedMembership(db, latin, 'E1');
    await seedTeachingLink(db, { person: 'T1', structure: 'S-A', kind: 'class', code: '6A' });
    await seedTeachingLink(db, { person: 'T1', structure: 'S-A', kind: 'class', code: '5B' });
    await seedRelativeLink(db, { pupil: 'E1', relative: 'R1', legal: 1 });
    await seedRelativeLink(db, { pupil: 'E2', relative: 'R1', legal: 0 });

    const accounts = await loadAccounts(db, [pupil, teacher, mother]);
    t.match(accounts.get(pupil), {
      birthDate: '2012-03-04',
      ine: '1234567890A',
      memberships: [
        { uai: UAI_A, kind: 'class', code: '6A' },
        { uai: UAI_A, kind: 'group', code: 'LATIN' },
      ],
      teaching: [],
      children: [],
    });
    t.same(
      accounts.get(teacher)?.teaching,
      [{ uai: UAI_A, kind: 'class', code: '6A' }],
      'an empty class is not taught',
    );
    t.same(
      accounts.get(mother)?.children,
      [{ jointure: 'E1', uais: [UAI_A], logins: { scribe: 'lmartin' } }],
      'only the child she is legally responsible for',
    );
  },
);

t.test("a class's level is the MEF most of its active pupils have, for each of them", async (t) => {
  const { db } = await testDb(t);
  await seedSchools(db);
  await sql`insert into mef (code, label, attributes, record_hash)
    values ('10110001110', '5EME', '{}', 'h1')`.execute(db);
  const fiveA = await seedClassGroup(db, { structure: 'S-A', kind: 'class', code: '5A' });
  const pupil = async (jointure: string, mef: string | null, state = 'active') => {
    const id = await seedPerson(db, {
      jointure,
      category: 'pupil',
      givenName: jointure,
      sn: 'Eleve',
      structures: ['S-A'],
      details: mef ? { schooling: { mef, mefLabel: 'LIBELLE' } } : {},
    });
    await seedIdentifier(db, { personId: id, namespace: 'pnom', value: jointure.toLowerCase() });
    await sql`update person set state = ${state} where id = ${id}`.execute(db);
    await seedMembership(db, fiveA, jointure);
    return id;
  };
  // The minority pupil first: the level must not depend on who is loaded (or created) first.
  const ids = [
    await pupil('E0', '99999999999'),
    await pupil('E1', '10110001110'),
    await pupil('E2', '10110001110'),
    await pupil('E3', null),
    // Departed pupils of another MEF do not count.
    await pupil('E4', '22222222222', 'departed'),
    await pupil('E5', '22222222222', 'departed'),
    await pupil('E6', '22222222222', 'departed'),
  ];
  for (const batch of [[ids[0]!], ids.slice(0, 4)]) {
    const accounts = await loadAccounts(db, batch);
    for (const id of batch) {
      const a = accounts.get(id);
      t.same(
        a?.memberships.map((m) => m.classMef),
        [{ code: '10110001110', label: '5EME' }],
        `${a?.jointure}: the class's level, labelled from the nomenclature`,
      );
    }
  }
  t.equal(
    (await loadAccounts(db, [ids[0]!])).get(ids[0]!)?.mef?.code,
    '99999999999',
    "the pupil's own MEF is unchanged",
  );
});
