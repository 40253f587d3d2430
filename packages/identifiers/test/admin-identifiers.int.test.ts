import t from 'tap';
import { testDb } from '@aaf-sync/testing';
import {
  IdentifierErrors,
  identifiersOf,
  replaceIdentifier,
  retireAlias,
  setAlias,
} from '../src/index.js';
import { createPersons, rules } from './helper.js';

async function jointureOf(db: Awaited<ReturnType<typeof testDb>>['db'], id: number) {
  const row = await db
    .selectFrom('person')
    .select('jointure')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.jointure;
}

// Persons are created with events: false, so only the administrators' events are in the log.
async function identifierEvents(db: Awaited<ReturnType<typeof testDb>>['db']) {
  const rows = await db
    .selectFrom('change_event')
    .select(['entity_key', 'op', 'version', 'changes', 'actor'])
    .where('entity_type', '=', 'identifier')
    .orderBy('seq')
    .execute();
  return rows.map(
    (r) =>
      [r.entity_key, r.op, r.version, r.changes] as [
        string,
        string,
        number,
        Record<string, unknown>,
      ],
  );
}

t.test('setAlias adds a second login, validated, unique, with an event', async (t) => {
  const { db } = await testDb(t);
  const { ids } = await createPersons(
    db,
    [
      ['Jean', 'Martin'],
      ['Paul', 'Durand'],
    ],
    { events: false },
  );
  const [jean, paul] = ids as [number, number];
  const alias = await setAlias(
    db,
    { personId: jean, namespace: 'educonnect', value: 'jp.martin', actor: 'admin:1', note: 'T42' },
    rules,
  );
  t.match(alias, { namespace: 'educonnect', value: 'jp.martin', status: 'alias', base: null });
  t.equal(alias.note, 'T42');
  t.same(await identifierEvents(db), [
    [
      'educonnect:jp.martin',
      'created',
      1,
      {
        person: await jointureOf(db, jean),
        namespace: 'educonnect',
        value: 'jp.martin',
        status: 'alias',
      },
    ],
  ]);

  const bad = (value: string, namespace = 'koxo') =>
    setAlias(db, { personId: paul, namespace, value, actor: 'admin:1' }, rules);
  await t.rejects(bad('p:durand'), {
    code: IdentifierErrors.INVALID_VALUE.code,
    message: /forbidden character ":"/,
  });
  await t.rejects(bad('pdurand.de.la.fontaine'), {
    code: IdentifierErrors.INVALID_VALUE.code,
    message: /22 characters, the maximum is 20/,
  });
  await t.rejects(bad('P.Durand'), { message: /uppercase/ });
  await t.rejects(bad('jmartin'), {
    code: IdentifierErrors.TAKEN.code,
    message: 'koxo identifier "jmartin" is already taken',
  });
  await t.rejects(bad('jp.martin', 'educonnect'), { code: IdentifierErrors.TAKEN.code });
  await t.rejects(bad('pdurand', 'ent'), { code: IdentifierErrors.UNKNOWN_NAMESPACE.code });
  await t.rejects(setAlias(db, { personId: 999_999, namespace: 'koxo', value: 'nobody2' }, rules), {
    code: IdentifierErrors.PERSON_NOT_FOUND.code,
  });
  t.equal((await identifierEvents(db)).length, 1, 'refused changes write no event');
});

t.test('replaceIdentifier retires the old value, which stays reserved', async (t) => {
  const { db } = await testDb(t);
  const { ids } = await createPersons(
    db,
    [
      ['Jean', 'Martin'],
      ['Paul', 'Durand'],
    ],
    { events: false },
  );
  const [jean, paul] = ids as [number, number];
  const result = await replaceIdentifier(
    db,
    { personId: jean, namespace: 'koxo', value: 'jean.martin', actor: 'admin:1' },
    rules,
  );
  t.match(result.primary, { value: 'jean.martin', status: 'primary', version: 1 });
  t.match(result.retired, { value: 'jmartin', status: 'retired', version: 2 });
  t.ok(result.retired?.retiredAt instanceof Date, 'retired_at is set');
  t.same(await identifierEvents(db), [
    ['koxo:jmartin', 'updated', 2, { status: ['primary', 'retired'] }],
    [
      'koxo:jean.martin',
      'created',
      1,
      {
        person: await jointureOf(db, jean),
        namespace: 'koxo',
        value: 'jean.martin',
        status: 'primary',
        replaces: 'jmartin',
      },
    ],
  ]);

  // Nobody else may take the retired value, nor the new one.
  const paulTo = (value: string) =>
    replaceIdentifier(db, { personId: paul, namespace: 'koxo', value, actor: 'admin:1' }, rules);
  await t.rejects(paulTo('jmartin'), { code: IdentifierErrors.TAKEN.code });
  await t.rejects(paulTo('jean.martin'), { code: IdentifierErrors.TAKEN.code });
  await t.rejects(paulTo('p durand'), { code: IdentifierErrors.INVALID_VALUE.code });
  await t.rejects(setAlias(db, { personId: paul, namespace: 'koxo', value: 'jmartin' }, rules), {
    code: IdentifierErrors.TAKEN.code,
  });
  t.match(await identifiersOf(db, paul), [
    { namespace: 'educonnect', value: 'p.durand', status: 'primary' },
    { namespace: 'koxo', value: 'pdurand', status: 'primary' },
    { namespace: 'scribe', value: 'pdurand', status: 'primary' },
  ]);
});

t.test('replaceIdentifier promotes an alias and restores an own retired value', async (t) => {
  const { db } = await testDb(t);
  const { ids } = await createPersons(db, [['Jean', 'Martin']], { events: false });
  const jean = ids[0]!;
  const change = (value: string) => ({ personId: jean, namespace: 'scribe', value, actor: 'a' });
  await setAlias(db, change('jeanm'), rules);
  const promoted = await replaceIdentifier(db, change('jeanm'), rules);
  t.match(promoted.primary, { value: 'jeanm', status: 'primary', version: 2 });
  t.match(promoted.retired, { value: 'jmartin', status: 'retired' });
  const undone = await replaceIdentifier(db, change('jmartin'), rules);
  t.match(undone.primary, { value: 'jmartin', status: 'primary', version: 3, retiredAt: null });
  t.match(undone.retired, { value: 'jeanm', status: 'retired', version: 3 });
  const same = await replaceIdentifier(db, change('jmartin'), rules);
  t.equal(same.retired, null, 'replacing with the current value changes nothing');
  const events = await identifierEvents(db);
  t.same(
    events.map(([key, op, version, changes]) => [
      key,
      op,
      version,
      op === 'created' ? changes.status : changes,
    ]),
    [
      ['scribe:jeanm', 'created', 1, 'alias'],
      ['scribe:jmartin', 'updated', 2, { status: ['primary', 'retired'] }],
      ['scribe:jeanm', 'updated', 2, { status: ['alias', 'primary'] }],
      ['scribe:jeanm', 'updated', 3, { status: ['primary', 'retired'] }],
      ['scribe:jmartin', 'updated', 3, { status: ['retired', 'primary'] }],
    ],
  );
});

t.test('retireAlias retires aliases only', async (t) => {
  const { db } = await testDb(t);
  const { ids } = await createPersons(db, [['Jean', 'Martin']], { events: false });
  await setAlias(db, { personId: ids[0]!, namespace: 'koxo', value: 'jeanm' }, rules);
  const retired = await retireAlias(db, { namespace: 'koxo', value: 'jeanm', actor: 'a' });
  t.match(retired, { status: 'retired', version: 2 });
  t.match(await retireAlias(db, { namespace: 'koxo', value: 'jeanm' }), { version: 2 }, 'no-op');
  await t.rejects(retireAlias(db, { namespace: 'koxo', value: 'jmartin' }), {
    code: IdentifierErrors.PRIMARY_NOT_RETIRABLE.code,
  });
  await t.rejects(retireAlias(db, { namespace: 'koxo', value: 'nobody' }), {
    code: IdentifierErrors.NOT_FOUND.code,
  });
  const events = await identifierEvents(db);
  t.same(events.at(-1), ['koxo:jeanm', 'updated', 2, { status: ['alias', 'retired'] }]);
});
