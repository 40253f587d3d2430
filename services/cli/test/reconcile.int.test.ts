import { sql } from '@aaf-sync/db';
import {
  createSecretBox,
  driverFor,
  findTarget,
  noopDriver,
  reconcileBatch,
} from '@aaf-sync/targets';
import { seedIdentifier, seedPerson, seedStructure, testDb } from '@aaf-sync/testing';
import t from 'tap';
import { cli } from './run.js';

t.test('reconcile --target [--uai] [--dry-run] [--json]', async (t) => {
  const { db, url } = await testDb(t);
  await seedStructure(db, { jointure: 'S-A', uai: '0750001A', name: 'Collège A' });
  await seedStructure(db, { jointure: 'S-B', uai: '0750002B', name: 'Collège B' });
  for (const [j, s] of [
    ['P1', 'S-A'],
    ['P2', 'S-A'],
    ['P3', 'S-B'],
  ] as const) {
    const id = await seedPerson(db, {
      jointure: j,
      category: 'pupil',
      givenName: j,
      sn: 'Sn',
      structures: [s],
    });
    await seedIdentifier(db, { personId: id, namespace: 'scribe', value: j.toLowerCase() });
  }
  t.equal(
    (
      await cli(
        ['targets', 'add', '--kind', 'noop', '--name', 'n', '--uai', '0750001A,0750002B'],
        url,
      )
    ).code,
    0,
  );

  const dry = await cli(['reconcile', '--target', 'n', '--dry-run', '--json'], url);
  t.equal(dry.code, 0, dry.stderr);
  t.match(JSON.parse(dry.stdout), {
    target: 'n',
    dryRun: true,
    inventory: false,
    totals: { pending: 3, inSync: 0 },
    marked: 0,
  });

  // The worker applies everything (as `aaf-sync dispatch` would).
  const { target, driver } = driverFor(
    { noop: noopDriver() },
    createSecretBox(Buffer.alloc(32, 1).toString('base64')),
    await findTarget(db, 'n'),
    { db },
  );
  t.equal((await reconcileBatch(db, target, driver, { batchSize: 10 })).applied, 3);

  const clean = await cli(['reconcile', '--target', 'n'], url);
  t.equal(clean.code, 0, clean.stderr);
  t.match(clean.stdout, /^0750001A +2 +0 +0 +0 +0 +0$/m);
  t.match(clean.stdout, /^total +3 +0 +0 +0 +0 +0$/m);
  t.match(clean.stdout, /0 account\(s\) set pending/);

  // P2 leaves school A; only establishment B is reconciled first: nothing to do there.
  await sql`delete from person_structure where person_jointure = 'P2'`.execute(db);
  const onlyB = JSON.parse(
    (await cli(['reconcile', '--target', 'n', '--uai', '0750002B', '--json'], url)).stdout,
  ) as { marked: number; totals: { inSync: number } };
  t.match(onlyB, { marked: 0, totals: { inSync: 1 } });
  const all = await cli(['reconcile', '--target', 'n', '--json'], url);
  t.match(JSON.parse(all.stdout), {
    marked: 1,
    differences: [{ jointure: 'P2', action: 'disable', key: 'p2', uai: null }],
  });
  const audit = await db
    .selectFrom('audit_log')
    .select(['action', 'details'])
    .where('action', '=', 'targets.reconcile')
    .execute();
  t.match(
    audit,
    [{ details: { target: 'n', marked: 1 } }],
    'only a reconcile that wrote is audited',
  );

  const foreign = await cli(['reconcile', '--target', 'n', '--uai', '0999999Z'], url);
  t.equal(foreign.code, 2);
  t.match(foreign.stderr, /TARGETS_ERR_NOT_SERVED/);
  t.match((await cli(['reconcile'], url)).stderr, /CLI_ERR_USAGE.*--target is required/);
  t.match((await cli(['reconcile', '--target', 'nope'], url)).stderr, /TARGETS_ERR_NOT_FOUND/);
});
