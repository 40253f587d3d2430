import t, { type Test } from 'tap';
import { testDb } from '@aaf-sync/testing';
import { bulkInsert, copyRows, createDb, sql, type Database, type Kysely } from '@aaf-sync/db';

/** A database of its own, and the statements run on it (their SQL text), newest last. */
async function setUp(t: Test) {
  const { url } = await testDb(t);
  const statements: string[] = [];
  const handle = createDb({ url, poolMax: 2, onQuery: (text) => statements.push(text) });
  t.teardown(() => handle.close());
  return { db: handle.db, statements };
}

const COLUMNS = [
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
  'raw_hash',
] as const;

/** Values COPY's text format must escape: tab, newline, backslash, quotes, braces, NUL-free unicode. */
const awkward = (jointure: string) => ({
  jointure,
  category: 'pupil' as const,
  profile: 'pupil' as const,
  level: '2d' as const,
  given_name: 'Zoé\tAnne',
  sn: 'L\'Hôte \\ O"Brien\r\nII',
  birth_date: '2010-03-04',
  has_account: false,
  unknown_structures: ['a,b', 'c"d', 'e\\f', '{g}', 'NULL', ''],
  details: { contact: { address: ['1\true\n2', 'back\\slash "q"'] } },
  attributes: { sn: ["L'Hôte"], x: ['\\N'] },
  record_hash: 'h',
  raw_hash: null,
});

async function read(db: Kysely<Database>, jointure: string) {
  return db
    .selectFrom('person')
    .select(COLUMNS)
    .where('jointure', '=', jointure)
    .executeTakeFirstOrThrow();
}

t.test('COPY writes what bulkInsert writes, escapes and all', async (t) => {
  const { db, statements } = await setUp(t);
  await db.transaction().execute(async (trx) => {
    t.equal(await copyRows(trx, 'person', COLUMNS, [awkward('C1')]), 1);
  });
  t.ok(
    statements.some((s) => s.startsWith('copy "person"')),
    'a COPY statement (reported to onQuery)',
  );
  await bulkInsert(db, 'person', COLUMNS, [awkward('B1')]);
  const copied = await read(db, 'C1');
  const inserted = await read(db, 'B1');
  t.same({ ...copied, jointure: 'B1' }, inserted);
  t.same(copied.unknown_structures, awkward('C1').unknown_structures);
  t.same(copied.details, awkward('C1').details);
  t.equal(copied.sn, awkward('C1').sn);
});

t.test('rows keep their order (identity columns follow it)', async (t) => {
  const { db } = await setUp(t);
  const rows = Array.from({ length: 3000 }, (_, i) => ({
    entity_type: 'person' as const,
    entity_key: `P${i}`,
    op: 'created' as const,
    version: 1,
    uais: [],
    changes: { after: { n: i, text: 'x'.repeat(i % 700) } },
  }));
  await db.transaction().execute(async (trx) => {
    await copyRows(
      trx,
      'change_event',
      ['entity_type', 'entity_key', 'op', 'version', 'uais', 'changes'],
      rows,
    );
  });
  const { rows: read } = await sql<{ k: string }>`
    select entity_key as k from change_event order by seq`.execute(db);
  t.same(
    read.map((r) => r.k),
    rows.map((r) => r.entity_key),
  );
});

t.test('rows across chunk boundaries, multibyte text and a row larger than a chunk', async (t) => {
  const { db } = await setUp(t);
  // ~3 MiB of UTF-8 in rows of 1-, 2-, 3- and 4-byte characters, and one row of 1.5 MiB
  const texts = Array.from({ length: 2000 }, (_, i) =>
    ['a', 'é', '€', '😀'][i % 4]!.repeat(300 + (i % 97)),
  );
  texts.splice(1000, 0, 'ü\t'.repeat(400_000));
  const rows = texts.map((text, i) => ({
    entity_type: 'person' as const,
    entity_key: `M${i}`,
    op: 'created' as const,
    version: 1,
    uais: [],
    changes: { text },
  }));
  await db.transaction().execute(async (trx) => {
    await copyRows(
      trx,
      'change_event',
      ['entity_type', 'entity_key', 'op', 'version', 'uais', 'changes'],
      rows,
    );
  });
  const { rows: read } = await sql<{ k: string; text: string }>`
    select entity_key as k, changes->>'text' as text from change_event order by seq`.execute(db);
  t.same(
    read.map((r) => r.k),
    rows.map((r) => r.entity_key),
    'in order',
  );
  t.ok(
    read.every((r, i) => r.text === texts[i]),
    'every text as written',
  );
});

t.test('outside a transaction it inserts the same rows with bulkInsert', async (t) => {
  const { db, statements } = await setUp(t);
  t.equal(await copyRows(db, 'person', COLUMNS, [awkward('F1')]), 1);
  t.notOk(
    statements.some((s) => s.startsWith('copy ')),
    'no COPY: a pool statement may run anywhere',
  );
  t.equal((await read(db, 'F1')).given_name, 'Zoé\tAnne');
});

t.test('a conflicting row fails the COPY, the transaction and nothing else', async (t) => {
  const { db } = await setUp(t);
  await bulkInsert(db, 'person', COLUMNS, [awkward('D1')]);
  await t.rejects(
    db.transaction().execute(async (trx) => {
      await copyRows(trx, 'person', COLUMNS, [awkward('D2'), awkward('D1')]);
    }),
    /duplicate key/,
  );
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from person`.execute(db);
  t.equal(rows[0]!.n, 1, 'nothing of it stays');
  // the pool is still usable, the connection too
  await db.transaction().execute(async (trx) => {
    await copyRows(trx, 'person', COLUMNS, [awkward('D3')]);
  });
  t.equal((await read(db, 'D3')).jointure, 'D3');
});
