import t from 'tap';
import { testDb } from '@aaf-sync/testing';
import { createDb, PREPARED, sql } from '@aaf-sync/db';

t.test('statements marked PREPARED run as named prepared statements', async (t) => {
  const { url } = await testDb(t);
  const handle = createDb({ url, poolMax: 1 }); // one connection: it holds the statements
  t.teardown(() => handle.close());
  const { db } = handle;
  const prepared = async () =>
    (
      await sql<{
        name: string;
        statement: string;
      }>`select name, statement from pg_prepared_statements order by name`.execute(db)
    ).rows;

  await sql`select ${1}::int as n`.execute(db);
  t.same(await prepared(), [], 'an unmarked statement is not kept');

  const square = (n: number) => sql<{ n: number }>`${PREPARED}select (${n}::int * ${n}::int) as n`;
  const results: number[] = [];
  for (let i = 1; i <= 8; i++) results.push((await square(i).execute(db)).rows[0]!.n);
  t.same(results, [1, 4, 9, 16, 25, 36, 49, 64], 'every execution gets its own parameters');
  const rows = await prepared();
  t.equal(rows.length, 1, 'one statement for one text, whatever the parameters');
  t.match(rows[0]!.name, /^aaf_[0-9a-f]{24}$/);
  t.match(rows[0]!.statement, /^\/\* prepared \*\/ select/);

  await sql`${PREPARED}select 'other' as s`.execute(db);
  t.equal((await prepared()).length, 2, 'another text, another statement');
});
