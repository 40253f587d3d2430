import t from 'tap';
import { createDb, sql, type Database, type Kysely, type Transaction } from '@aaf-sync/db';
import { testDb } from '@aaf-sync/testing';
import { allocateIdentifiers, IdentifierAllocator, setAlias } from '../src/index.js';
import { insertPersons, named, rules } from './helper.js';

type Names = readonly (readonly [string, string])[];

// Homonym families that recur from batch to batch, single-holder ones, two long bases that
// truncate onto the same koxo values, and (below) an alias in the way of a generated value.
const BATCHES: Names[] = [
  [
    ['Jean', 'Martin'],
    ['Julie', 'Martin'],
    ['Paul', 'Durand'],
    ['Jean', 'Martin-Dupont-Lefebvre'],
  ],
  [
    ['Jeanne', 'Martin'],
    ['Zoé', 'Unique'],
    ['Jean', 'Martindupontlefebv'],
    ['Pierre', 'Durand'],
  ],
  [
    ['Paul', 'Durand'],
    ['Jacques', 'Martin'],
    ['Jean', 'Martin-Dupont-Lefebvre'],
    ['Anne', 'Seule'],
  ],
  [
    ['Jean', 'Martin'],
    ['Jules', 'Martin'],
    ['Jean', 'Martindupontlefebv'],
    ['Paul', 'Durand'],
  ],
];

/** A person holding the alias `jmartin3` (scribe): the allocation must skip that value. */
async function aliasInTheWay(db: Kysely<Database>): Promise<void> {
  const [holder] = await insertPersons(db, [['Hors', 'Série']]);
  await setAlias(db, { personId: holder!, namespace: 'scribe', value: 'jmartin3' }, rules);
}

async function counters(db: Kysely<Database> | Transaction<Database>) {
  return db
    .selectFrom('identifier_counter')
    .select(['namespace', 'base', 'allocated'])
    .orderBy('namespace')
    .orderBy('base')
    .execute();
}

/**
 * Rows the session has written to identifier_counter (statistics not yet reported: those of the
 * current transaction, and possibly of the session's previous ones), read at the start and at
 * the end of what is measured.
 */
async function counterWrites(trx: Transaction<Database>) {
  const { rows } = await sql<{ ins: number; upd: number }>`
    select n_tup_ins::int as ins, n_tup_upd::int as upd from pg_stat_xact_user_tables
    where relname = 'identifier_counter'`.execute(trx);
  const at = rows[0] ?? { ins: 0, upd: 0 };
  return (since?: { ins: number; upd: number }) =>
    since ? { ins: at.ins - since.ins, upd: at.upd - since.upd } : at;
}

t.test('batch after batch in one transaction: what one call per batch gives', async (t) => {
  const perCall = await testDb(t);
  const kept = await testDb(t);
  for (const { db } of [perCall, kept]) await aliasInTheWay(db);
  const once = await perCall.db.transaction().execute(async (trx) => {
    const values: Record<string, string>[] = [];
    for (const names of BATCHES) {
      const ids = await insertPersons(trx, names);
      const map = await allocateIdentifiers(trx, named(ids, names), rules, { events: false });
      values.push(...ids.map((id) => map.get(id)!));
    }
    return values;
  });
  // a cache of two families: most of them leave it (written back) and come back (read again)
  const allocator = await kept.db.transaction().execute(async (trx) => {
    const a = new IdentifierAllocator(trx, rules, { events: false, cachedFamilies: 2 });
    const values: Record<string, string>[] = [];
    for (const names of BATCHES) {
      const ids = await insertPersons(trx, names);
      const map = await a.allocate(named(ids, names));
      values.push(...ids.map((id) => map.get(id)!));
    }
    await a.finish();
    return values;
  });
  t.same(allocator, once, 'the same values, person by person');
  t.notOk(
    once.some((v) => v.scribe === 'jmartin3'),
    'the alias is skipped',
  );
  t.same(
    once.map((v) => v.koxo).filter((v) => v!.startsWith('jmartindupont')),
    [
      'jmartindupontlefebvr',
      'jmartindupontlefebv',
      'jmartindupontlefebv1', // number 1 of the 20-letter base: the 19-letter one skips it
      'jmartindupontlefebv2',
    ],
    'a value taken by a truncated family is skipped, across batches',
  );
  t.equal(new Set(once.map((v) => v.scribe)).size, once.length, 'no value twice');
  t.same(await counters(kept.db), await counters(perCall.db), 'the same counters');
});

t.test('a family counter is written once per transaction, not once per batch', async (t) => {
  const { db } = await testDb(t);
  const batch: Names = [
    ['Jean', 'Martin'],
    ['Julie', 'Martin'],
  ];
  await db.transaction().execute(async (trx) => {
    const start = (await counterWrites(trx))();
    const allocator = new IdentifierAllocator(trx, rules, { events: false });
    for (let i = 0; i < 5; i++) {
      const ids = await insertPersons(trx, batch);
      await allocator.allocate(named(ids, batch));
    }
    t.same((await counterWrites(trx))(start), { ins: 3, upd: 0 }, 'inserted by the first batch');
    await allocator.finish();
    t.same((await counterWrites(trx))(start), { ins: 3, upd: 3 }, 'then written once');
  });
  t.same(
    (await counters(db)).map((c) => c.allocated),
    [10, 10, 10],
    'ten holders per family',
  );
  // what one call per batch costs: a counter update per family and batch
  await db.transaction().execute(async (trx) => {
    const start = (await counterWrites(trx))();
    for (let i = 0; i < 5; i++) {
      const ids = await insertPersons(trx, batch);
      await allocateIdentifiers(trx, named(ids, batch), rules, { events: false });
    }
    t.same((await counterWrites(trx))(start), { ins: 0, upd: 15 });
  });
});

t.test('counters leaving a full cache are written at once', async (t) => {
  const { db } = await testDb(t);
  await db.transaction().execute(async (trx) => {
    const allocator = new IdentifierAllocator(trx, [rules[2]!], {
      events: false,
      cachedFamilies: 1,
    });
    const first: Names = [['Jean', 'Martin']];
    const second: Names = [
      ['Jean', 'Martin'],
      ['Paul', 'Durand'],
    ];
    await allocator.allocate(named(await insertPersons(trx, first), first));
    await allocator.allocate(named(await insertPersons(trx, second), second));
    // the cache kept pdurand (most recent); jmartin moved to 2 and left it
    t.same(
      (await counters(trx)).map((c) => [c.base, c.allocated]),
      [
        ['jmartin', 2],
        ['pdurand', 1],
      ],
    );
    await allocator.allocate(named(await insertPersons(trx, first), first));
    await allocator.finish();
  });
  t.same(
    (await counters(db)).map((c) => [c.base, c.allocated]),
    [
      ['jmartin', 3],
      ['pdurand', 1],
    ],
  );
});

t.test('fresh persons: the same values without reading the primaries they hold', async (t) => {
  const read = await testDb(t);
  const fresh = await testDb(t);
  const run = (db: Kysely<Database>, isFresh: boolean) =>
    db.transaction().execute(async (trx) => {
      const a = new IdentifierAllocator(trx, rules, { events: false });
      const values: Record<string, string>[] = [];
      for (const names of BATCHES) {
        const ids = await insertPersons(trx, names);
        const map = await a.allocate(named(ids, names), { fresh: isFresh });
        values.push(...ids.map((id) => map.get(id)!));
      }
      await a.finish();
      return values;
    });
  const statements: string[] = [];
  const handle = createDb({ url: fresh.url, onQuery: (text) => statements.push(text) });
  t.teardown(() => handle.close());
  t.same(await run(handle.db, true), await run(read.db, false), 'the same values');
  t.notOk(
    statements.some((s) => /status = 'primary'/.test(s)),
    'no read of the primaries held',
  );
});

t.test(
  'copy (the table held no identifier): the same rows, values taken known in memory',
  async (t) => {
    const table = await testDb(t);
    const memory = await testDb(t);
    const run = (db: Kysely<Database>, copy: boolean) =>
      db.transaction().execute(async (trx) => {
        const a = new IdentifierAllocator(trx, rules, { events: false });
        const values: Record<string, string>[] = [];
        for (const names of BATCHES) {
          const ids = await insertPersons(trx, names);
          const map = await a.allocate(named(ids, names), { fresh: true, copy });
          values.push(...ids.map((id) => map.get(id)!));
        }
        await a.finish();
        return values;
      });
    const rows = async (db: Kysely<Database>) =>
      db
        .selectFrom('identifier')
        .select(['namespace', 'value', 'person_id', 'status', 'base'])
        .orderBy('id')
        .execute();
    const statements: string[] = [];
    const handle = createDb({ url: memory.url, onQuery: (text) => statements.push(text) });
    t.teardown(() => handle.close());
    const copied = await run(handle.db, true);
    t.same(copied, await run(table.db, false), 'the same values');
    t.same(
      copied.map((v) => v.koxo).filter((v) => v!.startsWith('jmartindupont')),
      [
        'jmartindupontlefebvr',
        'jmartindupontlefebv',
        'jmartindupontlefebv1',
        'jmartindupontlefebv2',
      ],
      'a value taken by a truncated family is skipped (known without asking)',
    );
    t.same(await rows(handle.db), await rows(table.db), 'the same rows, in the same order');
    t.same(await counters(handle.db), await counters(table.db), 'the same counters');
    t.ok(
      statements.some((s) => s.startsWith('copy "identifier"')),
      'written with COPY',
    );
    t.notOk(
      statements.some((s) => /insert into identifier \(|from identifier i/.test(s)),
      'no insert statement, no read of the values taken',
    );
  },
);
