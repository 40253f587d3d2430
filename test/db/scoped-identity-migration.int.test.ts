import t from 'tap';
import { MIGRATIONS, sql, type Kysely } from '@aaf-sync/db';
import { testDb } from '@aaf-sync/testing';

const migration = MIGRATIONS['0033-scoped-identity']!;

t.test('migration 0033: aaf_id read from the key, unique within a scope', async (t) => {
  const { db } = await testDb(t);
  const raw = db as unknown as Kysely<unknown>;
  await migration.down!.call(migration, raw);
  const person = (jointure: string, scope: string) => sql`
    insert into person (jointure, scope, category, profile, level, given_name, sn, attributes, record_hash)
    values (${jointure}, ${scope}, 'pupil', 'pupil', '2d', 'A', 'B', '{}', 'h')`;
  await person('1001', 'A').execute(db);
  await sql`insert into structure (jointure, scope, name, level, attributes, record_hash)
    values ('s1', 'A', 'S', '2d', '{}', 'h')`.execute(db);
  await migration.up.call(migration, raw);

  const ids = async () =>
    (
      await sql<{ jointure: string; aaf_id: string; scope: string }>`
        select jointure, aaf_id, scope from person union all
        select jointure, aaf_id, scope from structure order by jointure`.execute(db)
    ).rows;
  t.same(await ids(), [
    { jointure: '1001', aaf_id: '1001', scope: 'A' },
    { jointure: 's1', aaf_id: 's1', scope: 'A' },
  ]);
  // The same id in scope B: a qualified key, its own row.
  await person('1001@B', 'B').execute(db);
  t.match(await ids(), [{ jointure: '1001' }, { jointure: '1001@B', aaf_id: '1001', scope: 'B' }]);
  // Twice the same (scope, id): refused.
  await t.rejects(person('1001@A', 'A').execute(db), /person_scope_aaf_id/);
  // An INE move renames the key: the id follows.
  await sql`update person set jointure = '2002@B', scope = 'B' where jointure = '1001'`.execute(db);
  t.match(
    (await sql<{ aaf_id: string }>`select aaf_id from person where jointure = '2002@B'`.execute(db))
      .rows,
    [{ aaf_id: '2002' }],
  );
});
