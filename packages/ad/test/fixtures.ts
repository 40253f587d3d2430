import { randomBytes } from 'node:crypto';
import { driverPasswords } from '@aaf-sync/credentials';
import { sql, type Database, type Kysely } from '@aaf-sync/db';
import { connectLdapts, parseConnectionOptions, type LdapSession } from '@aaf-sync/ldap';
import {
  createSecretBox,
  createTarget,
  driverFor,
  findTarget,
  reconcileDue,
  type DriverTarget,
  type TargetDriver,
} from '@aaf-sync/targets';
import {
  provisionAllPersons,
  provisioningRows,
  replayAllRows,
  seedIdentifier,
  seedPerson,
  seedStructure,
  testAd,
  testDb,
  type ProvisioningRowState,
  type SeedPerson,
  type TeardownHost,
  type TestAd,
} from '@aaf-sync/testing';
import { adDriver, newAdStats, type AdDriverDeps, type AdStats } from '../src/index.js';

export const UAI_A = '0750001A';
export const UAI_B = '0750002B';
export const box = createSecretBox(Buffer.alloc(32, 7).toString('base64'));

/**
 * A tag unique to this test: `sAMAccountName`s (and group names) are unique in the whole domain,
 * which every test file shares (each in its own OU).
 */
export const tag = () => randomBytes(3).toString('hex').slice(0, 5);

export interface AdWorld {
  readonly db: Kysely<Database>;
  readonly ad: TestAd;
  /** Bound as the domain administrator over LDAPS, through packages/ldap. */
  readonly admin: LdapSession;
  readonly stats: AdStats;
  /** This test's tag (logins are `<name><tag>`). */
  readonly tag: string;
  target: DriverTarget;
  driver: TargetDriver;
  /** Seeds a person with a `koxo` login (`login` + the tag); resolves to its id. */
  person(p: SeedPerson & { login: string }): Promise<number>;
  login(name: string): string;
  /** Runs the worker until no row is due; resolves to the batches' totals. */
  sync(): Promise<{ applied: number; failed: number; excluded: number }>;
  /** Makes failed rows due now (their backoff skipped). */
  due(): Promise<void>;
  rows(): Promise<Map<string, ProvisioningRowState>>;
  read(dn: string, attributes?: string[]): Promise<Record<string, readonly string[]> | null>;
  userDn(uai: string, ou: string, cn: string): string;
  groupDn(uai: string, cn: string): string;
  /** A driver for the same target with other options (another URL…). */
  driverWith(options: Record<string, unknown>, deps?: AdDriverDeps): TargetDriver;
}

/**
 * A database and an AD OU of their own (Samba of scripts/services, LDAPS), two establishments,
 * and an `ad` target serving both under the test's OU, with the real credentials port.
 */
export async function adWorld(
  t: TeardownHost,
  o: { deps?: AdDriverDeps; profile?: Record<string, unknown> } = {},
): Promise<AdWorld> {
  const { db } = await testDb(t);
  const ad = await testAd(t);
  const admin = await connectLdapts(
    parseConnectionOptions({
      url: ad.url,
      bindDn: ad.bindDn,
      bindPassword: ad.bindPassword,
      tls: { rejectUnauthorized: false },
    }),
  );
  t.teardown(() => admin.close());
  const suffix = tag();
  await seedStructure(db, { jointure: 'S-A', uai: UAI_A, name: 'Collège A' });
  await seedStructure(db, { jointure: 'S-B', uai: UAI_B, name: 'Collège B' });
  const options = {
    url: ad.url,
    baseDn: ad.baseDn,
    bindDn: ad.bindDn,
    tlsInsecure: true,
    profile: { groupSam: `{uai}-{cn}-${suffix}`, ...o.profile },
  };
  await createTarget(
    db,
    box,
    {
      kind: 'ad',
      name: 'ad-test',
      uais: [UAI_A, UAI_B],
      options,
      secrets: { bindPassword: ad.bindPassword },
    },
    'test',
  );
  const stats = o.deps?.stats ?? newAdStats();
  const deps: AdDriverDeps = {
    pool: { sleep: async () => undefined },
    passwords: (context) => driverPasswords(context),
    ...o.deps,
    stats,
  };
  const row = await findTarget(db, 'ad-test');
  const { target, driver } = driverFor({ ad: adDriver(deps) }, box, row, { db });
  t.teardown(() => driver.close?.());
  const drivers: TargetDriver[] = [];
  t.teardown(() => Promise.all(drivers.map((d) => d.close?.())));
  const world: AdWorld = {
    db,
    ad,
    admin,
    stats,
    tag: suffix,
    target,
    driver,
    login: (name) => `${name}${suffix}`,
    async person(p) {
      const id = await seedPerson(db, p);
      await seedIdentifier(db, { personId: id, namespace: 'koxo', value: world.login(p.login) });
      return id;
    },
    async sync() {
      const { applied, failed, excluded } = await reconcileDue(db, world.target, world.driver, {
        batchSize: 50,
      });
      return { applied, failed, excluded };
    },
    async due() {
      await sql`update provisioning set next_attempt_at = now()
        where target_id = ${target.id} and status = 'failed'`.execute(db);
    },
    rows: () => provisioningRows(db, target.id),
    async read(dn, attributes) {
      return (await admin.read(dn, attributes))?.attributes ?? null;
    },
    userDn: (uai, ou, cn) => `CN=${cn},OU=${ou},OU=${uai},${ad.baseDn}`,
    groupDn: (uai, cn) => `CN=${cn},OU=Groupes,OU=${uai},${ad.baseDn}`,
    driverWith(extra, more = {}) {
      const other: DriverTarget = { ...target, options: { ...target.options, ...extra } };
      const d = adDriver({ ...deps, ...more })(other, { db, box });
      drivers.push(d);
      return d;
    },
  };
  return world;
}

/** Marks every person of the database as wanted by the target (as a full reconcile would). */
export async function provisionAll(w: AdWorld): Promise<void> {
  await provisionAllPersons(w.db, w.target.id);
}

/** Sets every row of the target pending again, as a replay would. */
export async function replayAll(w: AdWorld): Promise<void> {
  await replayAllRows(w.db, w.target.id);
}

/** Resolves when `password` binds as `upn` over LDAPS; rejects otherwise. */
export async function bindAs(w: AdWorld, upn: string, password: string): Promise<void> {
  const session = await connectLdapts(
    parseConnectionOptions({
      url: w.ad.url,
      bindDn: upn,
      bindPassword: password,
      tls: { rejectUnauthorized: false },
    }),
  );
  await session.close();
}
