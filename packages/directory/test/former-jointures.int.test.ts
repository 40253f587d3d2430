import t from 'tap';
import { seedPerson, seedStructure, testDb } from '@aaf-sync/testing';
import {
  accountRowToView,
  findAccountByRef,
  resolveAccount,
  UNRESTRICTED,
  unrestrictedReader,
} from '../src/index.js';

t.test('an account is found by a former jointure and shows it', async (t) => {
  const { db } = await testDb(t);
  await seedStructure(db, { jointure: 'S1', uai: '0990001N', name: 'Collège' });
  await seedStructure(db, { jointure: 'S2', uai: '0990002P', name: 'Other' });
  const pupil = await seedPerson(db, {
    jointure: 'NEW-2D',
    category: 'pupil',
    givenName: 'Léa',
    sn: 'Martin',
    structures: ['S1'],
  });
  await db
    .insertInto('person_alias')
    .values({ jointure: 'OLD-1D', person_id: pupil, reason: 'ine', import_id: null })
    .execute();

  for (const ref of [
    { by: 'jointure', value: 'OLD-1D' },
    { by: 'any', value: 'OLD-1D' },
  ] as const) {
    t.same(
      await resolveAccount(db, UNRESTRICTED, ref),
      [{ id: pupil, jointure: 'NEW-2D', scope: '-' }],
      ref.by,
    );
  }
  const { matches, row } = await findAccountByRef(db, UNRESTRICTED, {
    by: 'jointure',
    value: 'OLD-1D',
  });
  t.equal(matches, 1);
  const view = accountRowToView(row!, unrestrictedReader('personal'));
  t.equal(view.jointure, 'NEW-2D');
  t.match(view.formerJointures, [{ jointure: 'OLD-1D', reason: 'ine', importId: null }]);

  t.same(
    await resolveAccount(db, { uais: ['0990002P'] }, { by: 'jointure', value: 'OLD-1D' }),
    [],
    'another establishment does not find it by its old jointure either',
  );

  // Someone else now holds the old jointure: the explicit jointure names that person only.
  const other = await seedPerson(db, {
    jointure: 'OLD-1D',
    category: 'pupil',
    givenName: 'Tom',
    sn: 'Durand',
    structures: ['S1'],
  });
  t.same(await resolveAccount(db, UNRESTRICTED, { by: 'jointure', value: 'OLD-1D' }), [
    { id: other, jointure: 'OLD-1D', scope: '-' },
  ]);
});
