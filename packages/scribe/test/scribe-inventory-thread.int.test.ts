import t from 'tap';
import { AppError } from '@aaf-sync/errors';
import { createLdapPool, parseConnectionOptions } from '@aaf-sync/ldap';
import { loadConfig } from '@aaf-sync/config';
import { driverFor, findTarget, reconcileTarget } from '@aaf-sync/targets';
import { scribeDit } from '../src/dit.js';
import { entryDigester } from '../src/entry-digest.js';
import { listHeld, NUMBERS, type ListingMode } from '../src/held-listing.js';
import { inventoryThread } from '../src/inventory-thread.js';
import { DEFAULT_SCRIBE_PROFILE, scribeDriver } from '../src/index.js';
import { box, scribeWorld, seedSchool, UAI_A, UAI_B } from './fixtures.js';

// The inventory listed in the driver's worker thread (the default) and in its own thread
// (`inventoryThread: false`) against the same subtree: the same held entries and digests, the
// same reconcile reports, the same errors; the worker ends on close and on an error.

t.test('the worker lists what the driver thread lists', async (t) => {
  const w = await scribeWorld(t);
  await seedSchool(w);
  await w.sync();
  // Drift: an attribute changed by hand and a local account (an orphan).
  await w.admin.modify(w.userDn(UAI_A, 'eleves', 'lea.martin'), [
    { operation: 'replace', attribute: 'sn', values: ['Hacked'] },
  ]);
  await w.admin.add(w.userDn(UAI_A, 'eleves', 'local.guest'), {
    objectClass: ['inetOrgPerson'],
    uid: ['local.guest'],
    cn: ['Guest'],
    sn: ['Guest'],
  });
  const { driver: inThread } = driverFor(
    { scribe: scribeDriver({ inventoryThread: false }) },
    box,
    await findTarget(w.db, 'scribe-test'),
    { db: w.db },
  );
  t.teardown(() => inThread.close?.());
  for (const uais of [[UAI_A, UAI_B], [UAI_A], [UAI_B]]) {
    const held = await w.driver.inventory!(uais);
    t.ok(held.length > 0, `${uais.join(' ')}: entries listed`);
    t.same(held, await inThread.inventory!(uais), `${uais.join(' ')}: the same held entries`);
  }
  for (const chunkAccounts of [1, 1_000_000]) {
    const o = { chunkAccounts, dryRun: true };
    const report = await reconcileTarget(w.db, w.target, w.driver, o);
    t.match(report.totals, { inSync: 5, toUpdate: 1, orphans: 1 });
    t.same(
      report,
      await reconcileTarget(w.db, w.target, inThread, o),
      `chunks of ${chunkAccounts}`,
    );
  }

  // Each listing mode, the thread against the same code here (a chunk: entryDN filters).
  const profile = DEFAULT_SCRIBE_PROFILE;
  const { ldap } = loadConfig();
  const connection = parseConnectionOptions({
    url: ldap.url,
    bindDn: ldap.bindDn,
    bindPassword: ldap.bindPassword,
  });
  const digester = entryDigester(profile, NUMBERS);
  const thread = inventoryThread(
    { connection, pool: { size: 2, perSession: 2 }, baseDn: w.base, profile, concurrency: 4 },
    digester.plans,
  );
  t.teardown(() => thread.close());
  const pool = createLdapPool(connection, { size: 2, perSession: 2 });
  t.teardown(() => pool.close());
  const dit = scribeDit(w.base, profile);
  for (const mode of ['schools', 'base', 'chunk'] as ListingMode[]) {
    const here = await listHeld({
      pool,
      baseDn: w.base,
      dit,
      profile,
      digester,
      uais: [UAI_A, UAI_B],
      mode,
      concurrency: 4,
    });
    t.equal(here.length, 7, `${mode}: 6 accounts and the local one`);
    t.same(await thread.list([UAI_A, UAI_B], mode), here, `${mode}: the same`);
  }
  t.ok(thread.running, 'kept between listings');
  await thread.close();
  t.notOk(thread.running, 'ended by close');
  t.equal((await thread.list([UAI_A], 'schools')).length, 6, 'started again by a listing');
});

t.test('errors come back as thrown in the thread, and end the worker', async (t) => {
  const { ldap } = loadConfig();
  const profile = DEFAULT_SCRIBE_PROFILE;
  const digester = entryDigester(profile, NUMBERS);
  const baseDn = `ou=ac-none,${ldap.baseDn}`;
  const cases = [
    { bindPassword: 'wrong-password', url: ldap.url, code: 'LDAP_ERR_BIND_REFUSED' },
    // Nothing listens on port 9 (discard): unavailable at once, no retry.
    { bindPassword: ldap.bindPassword, url: 'ldap://127.0.0.1:9', code: 'LDAP_ERR_UNAVAILABLE' },
  ];
  for (const c of cases) {
    const connection = parseConnectionOptions({
      url: c.url,
      bindDn: ldap.bindDn,
      bindPassword: c.bindPassword,
    });
    const settings = { size: 1, perSession: 1, retries: 0 };
    const pool = createLdapPool(connection, settings);
    const here = await listHeld({
      pool,
      baseDn,
      dit: scribeDit(baseDn, profile),
      profile,
      digester,
      uais: [UAI_A, UAI_B],
      mode: 'base',
      concurrency: 1,
    }).catch((err: unknown) => err);
    await pool.close();
    t.ok(here instanceof AppError, `${c.code}: an AppError here`);
    const thread = inventoryThread(
      { connection, pool: settings, baseDn, profile, concurrency: 1 },
      digester.plans,
    );
    t.teardown(() => thread.close());
    const there = await thread.list([UAI_A, UAI_B], 'base').catch((err: unknown) => err);
    t.ok(there instanceof AppError, `${c.code}: an AppError from the worker`);
    const fields = (e: unknown) => {
      const a = e as AppError;
      return { code: a.code, message: a.message, status: a.status, details: a.details };
    };
    t.same(fields(there), fields(here), `${c.code}: the same error`);
    t.equal((there as AppError).code, c.code);
    t.notOk(String((there as AppError).message).includes(c.bindPassword), 'no password in it');
    t.notOk(thread.running, `${c.code}: the worker ended`);
  }
});
