import t from 'tap';
import { sql } from '@aaf-sync/db';
import { reconcileTarget } from '@aaf-sync/targets';
import { scribeWorld, seedSchool, UAI_A } from './fixtures.js';

// Chunks of one account: each school alone (its own two searches); a large chunk: the whole
// target at once (one paged search of the base, filed by school).
const CHUNKED = { chunkAccounts: 1, dryRun: true };
const WHOLE = { chunkAccounts: 1_000_000, dryRun: true };

t.test('a Scribe target reconciled school by school gives the whole report', async (t) => {
  const w = await scribeWorld(t);
  await seedSchool(w);
  await w.sync();
  const same = async (label: string) => {
    const whole = await reconcileTarget(w.db, w.target, w.driver, WHOLE);
    t.same(await reconcileTarget(w.db, w.target, w.driver, CHUNKED), whole, label);
    return whole;
  };
  t.match((await same('in sync')).totals, { inSync: 6, toUpdate: 0, toCreate: 0, orphans: 0 });

  // Drift: an attribute changed on the server, an entry deleted, a local account (an orphan),
  // and Tom moved to school B in the directory (his entry is still under A).
  const tomDn = w.userDn(UAI_A, 'eleves', 'tom.petit');
  await w.admin.modify(w.userDn(UAI_A, 'eleves', 'lea.martin'), [
    { operation: 'replace', attribute: 'sn', values: ['Hacked'] },
  ]);
  await w.admin.delete(w.userDn(UAI_A, 'personnels', 'a.admin'));
  await w.admin.add(w.userDn(UAI_A, 'eleves', 'local.guest'), {
    objectClass: ['inetOrgPerson'],
    uid: ['local.guest'],
    cn: ['Guest'],
    sn: ['Guest'],
  });
  await sql`delete from membership where person_jointure = 'E2'`.execute(w.db);
  await sql`update person_structure set structure_jointure = 'S-B'
    where person_jointure = 'E2'`.execute(w.db);
  const drift = await same('drifted');
  t.same(
    drift.differences.map((d) => [d.jointure, d.action]),
    [
      ['E1', 'update'],
      ['E2', 'update'],
      ['S1', 'create'],
    ],
  );
  t.match(
    drift.differences.find((d) => d.jointure === 'E2'),
    {
      reason: `key ${tomDn} → ${w.userDn('0750002B', 'eleves', 'tom.petit')}`,
    },
  );
  t.same(
    drift.orphans.map((o) => o.key),
    [w.userDn(UAI_A, 'eleves', 'local.guest')],
  );
});
