import t from 'tap';
import { testDb } from '@aaf-sync/testing';
import {
  allocateIdentifiers,
  identifiersOf,
  primaryIdentifiersOf,
  replaceIdentifier,
  setAlias,
} from '../src/index.js';
import { createPersons, insertPersons, named, rules, valuesOf } from './helper.js';

t.test('homonyms are numbered in input order, across batches', async (t) => {
  const { db } = await testDb(t);
  const first = await createPersons(db, [
    ['Jean', 'Martin'],
    ['Julie', 'Martin'], // same initial: same family
    ['Paul', 'Durand'],
    ['Jean-Pierre', 'Martin'],
  ]);
  t.same(
    first.values.map((v) => v.educonnect),
    ['j.martin', 'j.martin1', 'p.durand', 'j.martin2'],
  );
  t.same(
    first.values.map((v) => [v.scribe, v.koxo]),
    [
      ['jmartin', 'jmartin'],
      ['jmartin1', 'jmartin1'],
      ['pdurand', 'pdurand'],
      ['jmartin2', 'jmartin2'],
    ],
  );
  const second = await createPersons(db, [
    ['Jeanne', 'Martin'],
    ['Pierre', 'Durand'],
  ]);
  t.same(
    second.values.map((v) => v.educonnect),
    ['j.martin3', 'p.durand1'],
  );
  const counter = await db
    .selectFrom('identifier_counter')
    .selectAll()
    .where('namespace', '=', 'koxo')
    .orderBy('base')
    .execute();
  t.same(
    counter.map((c) => [c.base, c.allocated]),
    [
      ['jmartin', 4],
      ['pdurand', 2],
    ],
  );
  const rows = await db
    .selectFrom('identifier')
    .select(['status', 'base'])
    .where('person_id', '=', second.ids[0]!)
    .execute();
  t.same(rows.map((r) => [r.status, r.base]).sort(), [
    ['primary', 'j.martin'],
    ['primary', 'jmartin'],
    ['primary', 'jmartin'],
  ]);
});

t.test('allocation is idempotent and a rename never changes identifiers', async (t) => {
  const { db } = await testDb(t);
  const { ids, values } = await createPersons(db, [['Jean', 'Martin']]);
  const id = ids[0]!;
  await db
    .updateTable('person')
    .set({ given_name: 'Jeanne', sn: 'Dupont' })
    .where('id', '=', id)
    .execute();
  const again = await db
    .transaction()
    .execute((trx) =>
      allocateIdentifiers(trx, [{ personId: id, givenName: 'Jeanne', sn: 'Dupont' }], rules),
    );
  t.same(again.get(id), values[0], 'the existing identifiers are returned');
  t.same(
    (await identifiersOf(db, id)).map((r) => [r.namespace, r.value, r.status]),
    [
      ['educonnect', 'j.martin', 'primary'],
      ['koxo', 'jmartin', 'primary'],
      ['scribe', 'jmartin', 'primary'],
    ],
  );
  t.equal((await valuesOf(db, 'koxo')).length, 1, 'no second row');
  t.same(
    await db.selectFrom('identifier_counter').select('base').orderBy('base').execute(),
    [{ base: 'j.martin' }, { base: 'jmartin' }, { base: 'jmartin' }],
    'no counter for the new name',
  );
  t.same((await primaryIdentifiersOf(db, [id])).get(id), values[0]);
});

t.test('a person is allocated once even when listed twice; empty inputs do nothing', async (t) => {
  const { db } = await testDb(t);
  const [id] = await insertPersons(db, [['Jean', 'Martin']]);
  const twice = [
    { personId: id!, givenName: 'Jean', sn: 'Martin' },
    { personId: id!, givenName: 'Jean', sn: 'Martin' },
  ];
  const result = await allocateIdentifiers(db, twice, rules); // opens its own transaction
  t.same([...result.keys()], [id]);
  t.same(await valuesOf(db, 'koxo'), ['jmartin']);
  t.same(await allocateIdentifiers(db, [], rules), new Map());
  t.same(await allocateIdentifiers(db, twice, []), new Map([[id, {}]]));
});

t.test('only the configured namespaces are allocated', async (t) => {
  const { db } = await testDb(t);
  const { values } = await createPersons(db, [['Jean', 'Martin']], {}, [rules[2]!]);
  t.same(values, [{ koxo: 'jmartin' }]);
  t.same(await valuesOf(db, 'educonnect'), []);
});

t.test('a value taken by an alias or reserved is skipped for the next number', async (t) => {
  const { db } = await testDb(t);
  const owner = await createPersons(db, [['Paul', 'Durand']]);
  // An administrator gives somebody the value the next Jean Martin would get in koxo.
  await createPersons(db, [['Jean', 'Martin']]);
  await setAlias(db, { personId: owner.ids[0]!, namespace: 'koxo', value: 'jmartin1' }, rules);
  const { values } = await createPersons(db, [
    ['Jean', 'Martin'],
    ['Julie', 'Martin'],
  ]);
  // The batch reserved numbers 1 and 2 in input order; Jean's 1 was taken, so Jean gets the
  // first free number after the reservation (3) while Julie keeps 2.
  t.same(
    values.map((v) => v.koxo),
    ['jmartin3', 'jmartin2'],
    'jmartin1 (alias) skipped',
  );
  t.same(
    values.map((v) => v.scribe),
    ['jmartin1', 'jmartin2'],
    'scribe unaffected',
  );
  const next = await createPersons(db, [['Jacques', 'Martin']]);
  t.equal(next.values[0]!.koxo, 'jmartin4', 'the counter moved past the skipped value');
  // "root" is a reserved system account in koxo: Rémi Oot gets the next number.
  const root = await createPersons(db, [['Rémi', 'Oot']]);
  t.equal(root.values[0]!.koxo, 'root1');
  t.equal(root.values[0]!.educonnect, 'r.oot');
});

t.test('two long bases truncated onto the same 20-character value', async (t) => {
  const { db } = await testDb(t);
  const koxo = [rules[2]!];
  // A: j + martindupontlefebvre (21) → base jmartindupontlefebvr; its #1 is jmartindupontlefebv1.
  // B: j + martindupontlefebv (19) → base jmartindupontlefebv; its #1 is the same value.
  const { values } = await createPersons(
    db,
    [
      ['Jean', 'Martin-Dupont-Lefebvre'],
      ['Jean', 'Martin-Dupont-Lefebvre'],
      ['Jean', 'Martin-Dupont-Lefebv'],
      ['Jean', 'Martin-Dupont-Lefebv'],
      ['Jean', 'Martin-Dupont-Lefebv'],
    ],
    {},
    koxo,
  );
  t.same(
    values.map((v) => v.koxo),
    [
      'jmartindupontlefebvr',
      'jmartindupontlefebv1', // A#1: first in input order
      'jmartindupontlefebv',
      'jmartindupontlefebv3', // B#1 (…v1) and B#2 (…v2) were reserved together; …v1 was taken
      'jmartindupontlefebv2',
    ],
  );
  // Numbers: B's slots were 1 and 2; B#1 collided and was given the first free number after
  // the counter (3). Every value is unique, and B's counter is past every number handed out.
  const counters = await db.selectFrom('identifier_counter').selectAll().orderBy('base').execute();
  t.same(
    counters.map((c) => [c.base, c.allocated]),
    [
      ['jmartindupontlefebv', 4],
      ['jmartindupontlefebvr', 2],
    ],
  );
  const more = await createPersons(db, [['Jean', 'Martin-Dupont-Lefebv']], {}, koxo);
  t.equal(more.values[0]!.koxo, 'jmartindupontlefebv4');
});

t.test('retired values and values of departed persons are never allocated again', async (t) => {
  const { db } = await testDb(t);
  const admin = await createPersons(db, [['Zoé', 'Xu']]);
  const zoe = admin.ids[0]!;
  // Zoé's koxo login is changed twice by an administrator: "pdurand" ends up retired.
  await replaceIdentifier(db, { personId: zoe, namespace: 'koxo', value: 'pdurand' }, rules);
  await replaceIdentifier(db, { personId: zoe, namespace: 'koxo', value: 'zxu.admin' }, rules);
  const departed = await createPersons(db, [['Jean', 'Martin']]);
  await db
    .updateTable('person')
    .set({ state: 'departed', departed_at: new Date() })
    .where('id', '=', departed.ids[0]!)
    .execute();
  const { values } = await createPersons(db, [
    ['Paul', 'Durand'],
    ['Jean', 'Martin'],
  ]);
  t.equal(values[0]!.koxo, 'pdurand1', 'the retired pdurand is skipped');
  t.equal(values[0]!.scribe, 'pdurand', 'other namespaces are independent');
  t.equal(values[1]!.koxo, 'jmartin1', "the departed Jean Martin's value stays reserved");
  const statuses = await db
    .selectFrom('identifier')
    .select(['value', 'status'])
    .where('namespace', '=', 'koxo')
    .where('person_id', '=', zoe)
    .orderBy('id')
    .execute();
  t.same(statuses, [
    { value: 'zxu', status: 'retired' },
    { value: 'pdurand', status: 'retired' },
    { value: 'zxu.admin', status: 'primary' },
  ]);
});

t.test('events: one identifier created event per value, with holder and UAI', async (t) => {
  const { db } = await testDb(t);
  const structure = { jointure: 'S1', uai: '0990001N' };
  const names = [
    ['Jean', 'Martin'],
    ['Julie', 'Martin'],
  ] as const;
  const ids = await insertPersons(db, names, { structure });
  await db
    .transaction()
    .execute((trx) =>
      allocateIdentifiers(trx, named(ids, names), rules, { importId: 7, actor: 'ingest' }),
    );
  const events = await db
    .selectFrom('change_event')
    .selectAll()
    .where('entity_type', '=', 'identifier')
    .orderBy('seq')
    .execute();
  t.same(
    events.map((e) => [e.entity_key, e.op, e.version, e.uais, e.import_id, e.actor]),
    [
      ['educonnect:j.martin', 'created', 1, ['0990001N'], 7, 'ingest'],
      ['scribe:jmartin', 'created', 1, ['0990001N'], 7, 'ingest'],
      ['koxo:jmartin', 'created', 1, ['0990001N'], 7, 'ingest'],
      ['educonnect:j.martin1', 'created', 1, ['0990001N'], 7, 'ingest'],
      ['scribe:jmartin1', 'created', 1, ['0990001N'], 7, 'ingest'],
      ['koxo:jmartin1', 'created', 1, ['0990001N'], 7, 'ingest'],
    ],
  );
  const person = await db
    .selectFrom('person')
    .select('jointure')
    .where('id', '=', ids[1]!)
    .executeTakeFirstOrThrow();
  t.same(events[3]!.changes, {
    person: person.jointure,
    namespace: 'educonnect',
    value: 'j.martin1',
    status: 'primary',
    base: 'j.martin',
  });
  await createPersons(db, [['Paul', 'Durand']], { events: false });
  const count = await db
    .selectFrom('change_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  t.equal(Number(count.n), 6, 'events: false appends none');
});

t.test('backfill: existing persons get exactly the namespaces they miss', async (t) => {
  const { db } = await testDb(t);
  const names = [
    ['Jean', 'Martin'],
    ['Julie', 'Martin'],
  ] as const;
  const { ids } = await createPersons(db, names, { events: false }, [rules[2]!]); // koxo only
  const result = await allocateIdentifiers(db, named(ids, names), rules, { events: false });
  t.same(
    ids.map((id) => result.get(id)),
    [
      { educonnect: 'j.martin', scribe: 'jmartin', koxo: 'jmartin' },
      { educonnect: 'j.martin1', scribe: 'jmartin1', koxo: 'jmartin1' },
    ],
  );
  t.same(await valuesOf(db, 'koxo'), ['jmartin', 'jmartin1'], 'koxo untouched');
});
