import t from 'tap';
import { testDb } from '@aaf-sync/testing';
import { previewIdentifier, setAlias } from '../src/index.js';
import { createPersons, rules, valuesOf } from './helper.js';

const [educonnect, , koxo] = rules as [(typeof rules)[0], (typeof rules)[0], (typeof rules)[0]];

t.test('preview tells the next value without allocating it', async (t) => {
  const { db } = await testDb(t);
  t.same(await previewIdentifier(db, koxo, 'Jean', 'Martin'), {
    value: 'jmartin',
    base: 'jmartin',
    homonyms: 0,
  });
  const { ids } = await createPersons(
    db,
    [
      ['Jean', 'Martin'],
      ['Julie', 'Martin'],
    ],
    { events: false },
  );
  const preview = await previewIdentifier(db, educonnect, 'Jacques', 'Martin');
  t.same(preview, { value: 'j.martin2', base: 'j.martin', homonyms: 2 });
  t.same(await valuesOf(db, 'educonnect'), ['j.martin', 'j.martin1'], 'nothing allocated');
  const counter = await db
    .selectFrom('identifier_counter')
    .select('allocated')
    .where('namespace', '=', 'educonnect')
    .executeTakeFirstOrThrow();
  t.equal(counter.allocated, 2, 'counter untouched');

  // A value taken by an alias is skipped, as allocation would.
  await setAlias(db, { personId: ids[0]!, namespace: 'koxo', value: 'jmartin2' }, rules);
  t.equal((await previewIdentifier(db, koxo, 'Jacques', 'Martin')).value, 'jmartin3');
  const next = await createPersons(db, [['Jacques', 'Martin']], { events: false });
  t.equal(next.values[0]!.koxo, 'jmartin3', 'allocation agrees with the preview');
});

t.test('preview applies the fallback and the reserved names', async (t) => {
  const { db } = await testDb(t);
  t.same(await previewIdentifier(db, educonnect, '', '1234'), {
    value: 'x.inconnu',
    base: 'x.inconnu',
    homonyms: 0,
  });
  t.equal((await previewIdentifier(db, koxo, 'Rémi', 'Oot')).value, 'root1');
});
