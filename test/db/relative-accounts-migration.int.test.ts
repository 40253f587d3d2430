import t from 'tap';
import { MIGRATIONS, sql, type Kysely } from '@aaf-sync/db';
import { testDb } from '@aaf-sync/testing';

const migration = MIGRATIONS['0007-relative-accounts']!;
const up = migration.up.bind(migration);
const down = migration.down!.bind(migration);

t.test(
  'migration 0007 derives the accounts of the relatives already in the directory',
  async (t) => {
    const { db } = await testDb(t);
    const raw = db as unknown as Kysely<unknown>;
    await down(raw);
    const person = (jointure: string, category: string, state = 'active') => sql`
    insert into person (jointure, category, profile, level, given_name, sn, attributes, record_hash, state)
    values (${jointure}, ${category}, ${category}, '2d', 'A', 'B', '{}', 'h', ${state})`;
    for (const q of [
      person('p1', 'pupil'),
      person('p2', 'pupil', 'departed'),
      person('r-legal', 'relative'),
      person('r-charge', 'relative'),
      person('r-contact', 'relative'),
      person('r-unflagged', 'relative'),
      person('r-departed-pupil', 'relative'),
      person('r-unlinked', 'relative'),
      person('s1', 'staff'),
    ])
      await q.execute(db);
    await sql`
    insert into relative_link (pupil_jointure, relative_jointure, legal, contact) values
      ('p1', 'r-legal', 1, false), ('p1', 'r-charge', 2, false), ('p1', 'r-contact', 0, true),
      ('p1', 'r-unflagged', null, null), ('p2', 'r-departed-pupil', 1, false)`.execute(db);
    await up(raw);
    const { rows } = await sql<{ jointure: string; has_account: boolean }>`
    select jointure, has_account from person order by jointure`.execute(db);
    t.same(Object.fromEntries(rows.map((r) => [r.jointure, r.has_account])), {
      p1: true,
      p2: true,
      'r-charge': true,
      'r-contact': false,
      'r-departed-pupil': false,
      'r-legal': true,
      'r-unflagged': true,
      'r-unlinked': false,
      s1: true,
    });
    const { rows: warnings } = await sql<{ n: number }>`
    select count(*)::int as n from import_warning`.execute(db);
    t.same(warnings, [{ n: 0 }], 'the warnings table exists again');
  },
);
