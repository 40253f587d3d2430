import t from 'tap';
import { testDb } from '@aaf-sync/testing';
import { allocateIdentifiers } from '../src/index.js';
import { insertPersons, named, rules } from './helper.js';

const ALLOCATORS = 8;
const PER_ALLOCATOR = 5_000;
const BATCH = 500; // smaller than the ingester's 1,000 so transactions interleave more

/** Every value a family of `count` "Jean Martin" must hold: bare, then 1 … count - 1. */
function expectedFamily(bare: string, count: number): string[] {
  return [bare, ...Array.from({ length: count - 1 }, (_, i) => `${bare}${i + 1}`)].sort();
}

t.test(
  `${ALLOCATORS} concurrent allocators × ${PER_ALLOCATOR} "Jean Martin": unique, contiguous`,
  async (t) => {
    const { db } = await testDb(t, { poolMax: ALLOCATORS + 1 });
    const names = Array.from({ length: BATCH }, () => ['Jean', 'Martin'] as const);
    // Without events: the event-log lock would serialise whole transactions; this measures the
    // counters alone, the harder case.
    const allocator = async () => {
      for (let done = 0; done < PER_ALLOCATOR; done += BATCH) {
        await db.transaction().execute(async (trx) => {
          const ids = await insertPersons(trx, names);
          await allocateIdentifiers(trx, named(ids, names), rules, { events: false });
        });
      }
    };
    await Promise.all(Array.from({ length: ALLOCATORS }, allocator));

    const total = ALLOCATORS * PER_ALLOCATOR;
    for (const [namespace, bare] of [
      ['educonnect', 'j.martin'],
      ['scribe', 'jmartin'],
      ['koxo', 'jmartin'],
    ] as const) {
      const rows = await db
        .selectFrom('identifier')
        .select(['value', 'person_id'])
        .where('namespace', '=', namespace)
        .execute();
      const values = rows.map((r) => r.value);
      t.equal(values.length, total, `${namespace}: one value per person`);
      t.equal(new Set(values).size, total, `${namespace}: no duplicate`);
      t.equal(new Set(rows.map((r) => r.person_id)).size, total, `${namespace}: every person`);
      t.same(values.sort(), expectedFamily(bare, total), `${namespace}: numbers 1…${total - 1}`);
      const counter = await db
        .selectFrom('identifier_counter')
        .select('allocated')
        .where('namespace', '=', namespace)
        .executeTakeFirstOrThrow();
      t.equal(counter.allocated, total, `${namespace}: counter = holders`);
    }
  },
);

t.test('concurrent allocators with events: the event log has every value once', async (t) => {
  const { db } = await testDb(t, { poolMax: 5 });
  const names = Array.from({ length: 100 }, () => ['Jean', 'Martin'] as const);
  await Promise.all(
    Array.from({ length: 4 }, () =>
      db.transaction().execute(async (trx) => {
        const ids = await insertPersons(trx, names);
        await allocateIdentifiers(trx, named(ids, names), [rules[2]!]);
      }),
    ),
  );
  const events = await db
    .selectFrom('change_event')
    .select('entity_key')
    .where('entity_type', '=', 'identifier')
    .execute();
  t.same(
    events.map((e) => e.entity_key).sort(),
    expectedFamily('jmartin', 400).map((v) => `koxo:${v}`),
  );
});
