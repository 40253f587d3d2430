// Whether the directory holds a qualified key is read from the qualified keys' own index, not
// by scanning every person (the check runs at the start of every import).
import t from 'tap';
import { sql } from '@aaf-sync/db';
import { testDb } from '@aaf-sync/testing';
import { keyShape, PersonKeys } from '../src/plan/scope-keys.js';

t.test('the qualified-key check uses person_qualified_key and answers both ways', async (t) => {
  const { db } = await testDb(t);
  await sql`
    insert into person (jointure, scope, category, profile, level, given_name, sn, attributes, record_hash)
    select 'J' || g, 'NORD', 'pupil', 'pupil', '2d', 'Jean', 'Martin' || g, '{}', 'h'
    from generate_series(1, 20000) g`.execute(db);
  await sql`analyze person`.execute(db);
  const compiled = keyShape().compile(db);
  const plan = await db.executeQuery<{ 'QUERY PLAN': string }>({
    ...compiled,
    sql: `explain ${compiled.sql}`,
  });
  const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
  t.match(text, /person_qualified_key/, 'the qualified keys are looked for in their index');
  t.notMatch(text, /Seq Scan/, 'no person is scanned');
  t.equal((await PersonKeys.load(db, 'NORD')).plain, true, 'one scope, no qualified key');
  await sql`
    insert into person (jointure, scope, category, profile, level, given_name, sn, attributes, record_hash)
    values ('J1@SUD', 'SUD', 'pupil', 'pupil', '2d', 'Jean', 'Martin', '{}', 'h')`.execute(db);
  t.equal((await PersonKeys.load(db, 'NORD')).plain, false, 'a qualified key is found');
  const qualified = await keyShape().execute(db);
  t.equal(qualified.rows[0]!.qualified, true);
});
