import { sql } from '@aaf-sync/db';
import { testDb } from '@aaf-sync/testing';
import t from 'tap';
import { loadAccounts } from '../src/index.js';
import { seedAccounts, seedSchools } from './fixtures.js';

t.test('a relative without an account (a contact) is no account for targets', async (t) => {
  const { db } = await testDb(t);
  await seedSchools(db);
  await seedAccounts(db, { prefix: 'P', structure: 'S-A', count: 2 });
  // P2 becomes a contact whose identifier stays reserved: it must read as absent.
  await sql`update person set category = 'relative', profile = 'relative', has_account = false
    where jointure = 'P2'`.execute(db);
  const { rows } = await sql<{ id: number; jointure: string }>`
    select id, jointure from person order by jointure`.execute(db);
  const accounts = await loadAccounts(
    db,
    rows.map((r) => Number(r.id)),
  );
  t.same(
    [...accounts.values()].map((a) => a.jointure),
    ['P1'],
    'only the account holder is loaded',
  );
});
