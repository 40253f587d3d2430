import t, { type Test } from 'tap';
import { testDb } from '@aaf-sync/testing';
import { bulkDelete, bulkInsert, bulkUpdate, createDb, sql, type Executor } from '@aaf-sync/db';

/** A database of its own, and the statements run on it (their SQL text), newest last. */
async function setUp(t: Test) {
  const { url } = await testDb(t);
  const statements: string[] = [];
  const handle = createDb({ url, poolMax: 1, onQuery: (text) => statements.push(text) });
  t.teardown(() => handle.close());
  return { db: handle.db, statements };
}

const subject = (code: string, label = `label ${code}`) => ({
  code,
  label,
  attributes: { ENTMatiereCode: [code] },
  record_hash: `h${code}`,
  version: 1,
});
const SUBJECT = ['code', 'label', 'attributes', 'record_hash', 'version'] as const;

t.test('typed rows keyed by column name, values of every kind', async (t) => {
  const { db } = await setUp(t);
  const returned = await bulkInsert(
    db,
    'person',
    [
      'jointure',
      'category',
      'profile',
      'level',
      'given_name',
      'sn',
      'birth_date',
      'has_account',
      'unknown_structures',
      'details',
      'attributes',
      'record_hash',
    ],
    [
      {
        jointure: 'P1',
        category: 'pupil',
        profile: 'pupil',
        level: '2d',
        given_name: 'Zoé',
        sn: "L'Hôte",
        birth_date: '2010-03-04',
        has_account: true,
        unknown_structures: ['S9', 'S8'],
        details: { nested: { a: [1, 2] }, quote: '"' },
        attributes: { sn: ["L'Hôte"] },
        record_hash: 'x',
      },
    ],
    { returning: ['id', 'jointure'] },
  );
  t.equal(returned.length, 1);
  t.type(returned[0]!.id, 'number', 'returning is typed and read back');
  const row = await db
    .selectFrom('person')
    .select(['sn', 'birth_date', 'has_account', 'unknown_structures', 'details', 'attributes'])
    .executeTakeFirstOrThrow();
  t.same(row, {
    sn: "L'Hôte",
    birth_date: '2010-03-04',
    has_account: true,
    unknown_structures: ['S9', 'S8'],
    details: { nested: { a: [1, 2] }, quote: '"' },
    attributes: { sn: ["L'Hôte"] },
  });
});

t.test('empty input runs no statement', async (t) => {
  const { db, statements } = await setUp(t);
  const before = statements.length;
  t.same(await bulkInsert(db, 'subject', SUBJECT, [], { returning: ['code'] }), []);
  t.same(await bulkUpdate(db, 'subject', ['code'], ['label'], []), []);
  t.equal(await bulkDelete(db, 'subject', ['code'], []), 0);
  t.equal(statements.length, before);
});

t.test('one parameter whatever the number of rows; chunks when asked', async (t) => {
  const { db, statements } = await setUp(t);
  // 70,000 rows × 5 columns: far above the 65,535 bind parameters of one statement.
  const rows = Array.from({ length: 70_000 }, (_, i) => subject(`C${i}`));
  let before = statements.length;
  await bulkInsert(db, 'subject', SUBJECT, rows);
  t.equal(statements.length - before, 1, 'one statement');
  const count = async () =>
    Number(
      (
        await db
          .selectFrom('subject')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  t.equal(await count(), 70_000);

  before = statements.length;
  const gone = await bulkDelete(db, 'subject', ['code'], rows.slice(0, 25_000), { chunk: 10_000 });
  t.equal(gone, 25_000);
  t.equal(statements.length - before, 3, 'one statement per chunk of 10,000');
  before = statements.length;
  const back = await bulkInsert(db, 'subject', SUBJECT, rows.slice(0, 25_000), {
    chunk: 10_000,
    returning: ['code'],
  });
  t.equal(statements.length - before, 3);
  t.equal(back.length, 25_000, 'returned rows of every chunk');
  t.equal(await count(), 70_000);
});

t.test('conflicts: kysely on conflict, do nothing or update', async (t) => {
  const { db } = await setUp(t);
  await bulkInsert(db, 'subject', SUBJECT, [subject('A'), subject('B')]);
  await t.rejects(bulkInsert(db, 'subject', SUBJECT, [subject('A')]), /duplicate key/);
  const inserted = await bulkInsert(db, 'subject', SUBJECT, [subject('A', 'new'), subject('C')], {
    onConflict: (oc) => oc.doNothing(),
    returning: ['code'],
  });
  t.same(inserted, [{ code: 'C' }], 'the conflicting row is skipped');
  await bulkInsert(db, 'subject', SUBJECT, [subject('B', 'renamed')], {
    onConflict: (oc) =>
      oc.column('code').doUpdateSet((eb) => ({
        label: eb.ref('excluded.label'),
        version: eb('subject.version', '+', 1),
      })),
  });
  const rows = await db
    .selectFrom('subject')
    .select(['code', 'label', 'version'])
    .orderBy('code')
    .execute();
  t.same(rows, [
    { code: 'A', label: 'label A', version: 1 },
    { code: 'B', label: 'renamed', version: 2 },
    { code: 'C', label: 'label C', version: 1 },
  ]);
});

t.test('ordered inserts follow the order of the rows', async (t) => {
  const { db } = await setUp(t);
  const keys = Array.from({ length: 2_000 }, (_, i) => `k${(i * 7919) % 2_000}`);
  await bulkInsert(
    db,
    'change_event',
    ['entity_type', 'entity_key', 'op', 'version', 'uais', 'changes'],
    keys.map((k) => ({
      entity_type: 'person' as const,
      entity_key: k,
      op: 'created' as const,
      version: 1,
      uais: ['0750001A'],
      changes: {},
    })),
    { ordered: true },
  );
  const rows = await db.selectFrom('change_event').select('entity_key').orderBy('seq').execute();
  t.same(
    rows.map((r) => r.entity_key),
    keys,
  );
});

t.test('updates by key with shared assignments; deletes by key', async (t) => {
  const { db } = await setUp(t);
  await bulkInsert(db, 'subject', SUBJECT, [subject('A'), subject('B'), subject('C')]);
  const updated = await bulkUpdate(
    db,
    'subject',
    ['code'],
    ['label', 'version'],
    [
      { code: 'A', label: 'a2', version: 2 },
      { code: 'C', label: 'c2', version: 5 },
      { code: 'Z', label: 'nobody', version: 1 },
    ],
    {
      also: { last_import_id: null, updated_at: sql`now() + interval '1 day'` },
      returning: ['code', 'version'],
    },
  );
  t.same(
    updated.sort((a, b) => a.code.localeCompare(b.code)),
    [
      { code: 'A', version: 2 },
      { code: 'C', version: 5 },
    ],
  );
  const rows = await db
    .selectFrom('subject')
    .select(['code', 'label', sql<boolean>`updated_at > now()`.as('later')])
    .orderBy('code')
    .execute();
  t.same(rows, [
    { code: 'A', label: 'a2', later: true },
    { code: 'B', label: 'label B', later: false },
    { code: 'C', label: 'c2', later: true },
  ]);
  t.equal(await bulkDelete(db, 'subject', ['code'], [{ code: 'A' }, { code: 'Z' }]), 1);
});

/** Never run: the type checker (`pnpm typecheck`) refuses what does not match the schema. */
export function compileTimeChecks(db: Executor): void {
  // @ts-expect-error no such column
  void bulkInsert(db, 'subject', ['code', 'nope'], []);
  // @ts-expect-error a row without a listed column
  void bulkInsert(db, 'subject', ['code', 'label'], [{ code: 'A' }]);
  // @ts-expect-error a value of the wrong type
  void bulkInsert(db, 'subject', ['code', 'version'], [{ code: 'A', version: 'one' }]);
  // @ts-expect-error a returned column that does not exist
  void bulkInsert(db, 'subject', ['code'], [], { returning: ['nope'] });
  // @ts-expect-error no such table
  void bulkDelete(db, 'nope', ['code'], []);
}
