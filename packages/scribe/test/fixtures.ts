import type { Database, Kysely } from '@aaf-sync/db';
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
  seedClassGroup,
  seedIdentifier,
  seedMembership,
  seedRelativeLink,
  seedTeachingLink,
  seedPerson,
  ownSlapd,
  seedStructure,
  testDb,
  testLdap,
  type ProvisioningRowState,
  type SeedPerson,
  type TeardownHost,
} from '@aaf-sync/testing';
import {
  newScribeStats,
  scribeDriver,
  type PasswordPort,
  type ScribeDriverDeps,
  type ScribeStats,
} from '../src/index.js';

export const UAI_A = '0750001A';
export const UAI_B = '0750002B';
export const box = createSecretBox(Buffer.alloc(32, 9).toString('base64'));

/** A password port that hands out one password per account until told it was set. */
export function recordingPasswords() {
  const set = new Map<number, string>();
  const port: PasswordPort = {
    async passwordsFor(_target, accounts) {
      return new Map(
        accounts
          .filter((a) => !set.has(a.personId))
          .map((a) => [a.personId, `Init-${a.personId}-pw`]),
      );
    },
    async applied(_target, ids) {
      for (const id of ids) set.set(id, `Init-${id}-pw`);
    },
  };
  return { port, set };
}

export interface ScribeWorld {
  readonly db: Kysely<Database>;
  readonly base: string;
  /** Bound as the administrator of the test slapd. */
  readonly admin: LdapSession;
  readonly stats: ScribeStats;
  target: DriverTarget;
  driver: TargetDriver;
  /** Seeds a person with a `scribe` login; resolves to its id. */
  person(p: SeedPerson & { login: string }): Promise<number>;
  /** Runs the worker until no row is due; resolves to the batches' totals. */
  sync(): Promise<{ applied: number; failed: number; excluded: number }>;
  rows(): Promise<Map<string, ProvisioningRowState>>;
  read(dn: string, attributes?: string[]): Promise<Record<string, readonly string[]> | null>;
  userDn(uai: string, branch: string, uid: string): string;
  groupDn(uai: string, cn: string): string;
}

/**
 * A database and an LDAP subtree of their own, two establishments, and a `scribe` target
 * serving both whose académie branch is `ou=ac-test,ou=education,<subtree>` (on `url` when
 * given: another slapd).
 */
export async function scribeWorld(
  t: TeardownHost,
  o: {
    url?: string;
    deps?: ScribeDriverDeps;
    adminOf?: LdapSession;
    baseDn?: string;
    /** More target options (tls, startTls, profile…). */
    options?: Record<string, unknown>;
  } = {},
): Promise<ScribeWorld> {
  const { db } = await testDb(t);
  const ldap = await testLdap(t);
  const url = o.url ?? ldap.url;
  const root = o.baseDn ?? ldap.baseDn;
  const admin =
    o.adminOf ??
    (await connectLdapts(
      parseConnectionOptions({ url, bindDn: ldap.bindDn, bindPassword: ldap.bindPassword }),
    ));
  t.teardown(() => admin.close());
  const education = `ou=education,${root}`;
  const base = `ou=ac-test,${education}`;
  await admin.add(education, { objectClass: ['organizationalUnit'], ou: ['education'] });
  await admin.add(base, { objectClass: ['organizationalUnit'], ou: ['ac-test'] });
  await seedStructure(db, { jointure: 'S-A', uai: UAI_A, name: 'Collège A' });
  await seedStructure(db, { jointure: 'S-B', uai: UAI_B, name: 'Collège B' });
  await createTarget(
    db,
    box,
    {
      kind: 'scribe',
      name: 'scribe-test',
      uais: [UAI_A, UAI_B],
      options: { url, baseDn: base, bindDn: ldap.bindDn, ...o.options },
      secrets: { bindPassword: ldap.bindPassword },
    },
    'test',
  );
  const stats = o.deps?.stats ?? newScribeStats();
  const { target, driver } = driverFor(
    { scribe: scribeDriver({ pool: { sleep: async () => undefined }, ...o.deps, stats }) },
    box,
    await findTarget(db, 'scribe-test'),
    { db },
  );
  t.teardown(() => driver.close?.());
  const world: ScribeWorld = {
    db,
    base,
    admin,
    stats,
    target,
    driver,
    async person(p) {
      const id = await seedPerson(db, p);
      await seedIdentifier(db, { personId: id, namespace: 'scribe', value: p.login });
      return id;
    },
    async sync() {
      const { applied, failed, excluded } = await reconcileDue(db, world.target, world.driver, {
        batchSize: 50,
      });
      return { applied, failed, excluded };
    },
    rows: () => provisioningRows(db, target.id),
    async read(dn, attributes) {
      return (await admin.read(dn, attributes))?.attributes ?? null;
    },
    userDn: (uai, branch, uid) =>
      `uid=${uid},ou=local,ou=${branch},ou=utilisateurs,ou=${uai},${base}`,
    groupDn: (uai, cn) => `cn=${cn},ou=local,ou=groupes,ou=${uai},${base}`,
  };
  return world;
}

/** Sets every row of the target pending again, as a full reconcile or a replay would. */
export const replayAll = replayAllRows;

/** A second slapd of our own (packages/testing `ownSlapd`): stopped and started by the test. */
export { ownSlapd };

/** A school: two pupils in 6A (one also in LATIN), one pupil in S-B, a teacher, staff, relatives. */
export async function seedSchool(w: ScribeWorld) {
  const ids = {
    e1: await w.person({
      jointure: 'E1',
      login: 'lea.martin',
      category: 'pupil',
      givenName: 'Léa',
      sn: 'Martin',
      structures: ['S-A'],
      birthDate: '2012-03-04',
      ine: '1234567890A',
    }),
    e2: await w.person({
      jointure: 'E2',
      login: 'tom.petit',
      category: 'pupil',
      givenName: 'Tom',
      sn: 'Petit',
      structures: ['S-A'],
    }),
    e3: await w.person({
      jointure: 'E3',
      login: 'zoe.martin',
      category: 'pupil',
      givenName: 'Zoé',
      sn: 'Martin',
      structures: ['S-B'],
    }),
    t1: await w.person({
      jointure: 'T1',
      login: 'p.prof',
      category: 'staff',
      profile: 'teacher',
      givenName: 'Paul',
      sn: 'Prof',
      structures: ['S-A'],
    }),
    s1: await w.person({
      jointure: 'S1',
      login: 'a.admin',
      category: 'staff',
      profile: 'staff',
      givenName: 'Alice',
      sn: 'Admin',
      structures: ['S-A'],
    }),
    r1: await w.person({
      jointure: 'R1',
      login: 'anne.martin',
      category: 'relative',
      givenName: 'Anne',
      sn: 'Martin',
      structures: ['S-A', 'S-B'],
    }),
  };
  const sixA = await seedClassGroup(w.db, { structure: 'S-A', kind: 'class', code: '6A' });
  const latin = await seedClassGroup(w.db, { structure: 'S-A', kind: 'group', code: 'LATIN' });
  const fiveB = await seedClassGroup(w.db, { structure: 'S-B', kind: 'class', code: '5B' });
  await seedClassGroup(w.db, { structure: 'S-A', kind: 'class', code: '6B' });
  await seedMembership(w.db, sixA, 'E1');
  await seedMembership(w.db, latin, 'E1');
  await seedMembership(w.db, sixA, 'E2');
  await seedMembership(w.db, fiveB, 'E3');
  await seedTeachingLink(w.db, { person: 'T1', structure: 'S-A', kind: 'class', code: '6A' });
  await seedRelativeLink(w.db, { pupil: 'E1', relative: 'R1', legal: 1 });
  await seedRelativeLink(w.db, { pupil: 'E3', relative: 'R1', legal: 2 });
  // The target was created before these persons: a full reconcile marks them.
  await provisionAllPersons(w.db, w.target.id);
  return ids;
}
