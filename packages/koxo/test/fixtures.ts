import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Database, type Kysely } from '@aaf-sync/db';
import {
  seedClassGroup,
  seedIdentifier,
  seedMembership,
  seedPerson,
  seedStructure,
  seedTeachingLink,
  type TeardownHost,
} from '@aaf-sync/testing';
import {
  createSecretBox,
  createTarget,
  driverFor,
  findTarget,
  loadAccounts,
  type ApplyItem,
  type DriverTarget,
  type TargetDriver,
} from '@aaf-sync/targets';
import { koxoDriver, type KoxoDriverDeps } from '../src/index.js';

export const UAI = '0350001A';
export const UAI_B = '0350002B';
export const box = createSecretBox(Buffer.alloc(32, 9).toString('base64'));

export async function exportDir(t: TeardownHost): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'koxo-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A pupil (class 3A, group LATIN) with a `koxo` login; resolves to its person id. */
export async function seedPupil(
  db: Kysely<Database>,
  jointure: string,
  o: { structure?: string; login?: string; sn?: string; scope?: string } = {},
): Promise<number> {
  const id = await seedPerson(db, {
    jointure,
    category: 'pupil',
    givenName: 'Élève',
    sn: o.sn ?? `Nom-${jointure}`,
    birthDate: '2010-01-02',
    structures: [o.structure ?? 'S-A'],
    ...(o.scope ? { scope: o.scope } : {}),
  });
  await seedIdentifier(db, {
    personId: id,
    namespace: 'koxo',
    value: o.login ?? `e${jointure.toLowerCase()}`,
  });
  return id;
}

/** Establishment S-A (UAI) with class 3A and group LATIN, 4 pupils, a teacher; S-B (UAI_B). */
export async function seedSchool(db: Kysely<Database>): Promise<void> {
  await seedStructure(db, { jointure: 'S-A', uai: UAI, name: 'Lycée A' });
  await seedStructure(db, { jointure: 'S-B', uai: UAI_B, name: 'Lycée B' });
  const cls = await seedClassGroup(db, { structure: 'S-A', kind: 'class', code: '3A' });
  const grp = await seedClassGroup(db, { structure: 'S-A', kind: 'group', code: 'LATIN' });
  for (const j of ['P1', 'P2', 'P3', 'P4']) {
    await seedPupil(db, j);
    await seedMembership(db, cls, j);
  }
  await seedMembership(db, grp, 'P1');
  const teacher = await seedPerson(db, {
    jointure: 'T1',
    category: 'staff',
    profile: 'teacher',
    givenName: 'Jean',
    sn: 'Prof',
    structures: ['S-A'],
  });
  await seedIdentifier(db, { personId: teacher, namespace: 'koxo', value: 'jprof' });
  await seedTeachingLink(db, { person: 'T1', structure: 'S-A', kind: 'class', code: '3A' });
  await sql`update person set civility = 'M.' where jointure = 'T1'`.execute(db);
}

export async function koxoTarget(
  db: Kysely<Database>,
  dir: string,
  deps: KoxoDriverDeps = {},
  options: Record<string, unknown> = {},
  name = 'koxo-a',
  secrets: Record<string, string> = {},
): Promise<{ target: DriverTarget; driver: TargetDriver }> {
  await createTarget(
    db,
    box,
    {
      kind: 'koxo',
      name,
      uais: [UAI],
      options: {
        exportDir: dir,
        ...options,
      },
      secrets,
    },
    'test',
  );
  return driverFor({ koxo: koxoDriver(deps) }, box, await findTarget(db, name), { db });
}

/** The batch the reconcile loop would hand the driver for these persons. */
export async function itemsFor(
  db: Kysely<Database>,
  driver: TargetDriver,
  personIds: readonly number[],
): Promise<ApplyItem[]> {
  const accounts = await loadAccounts(db, personIds);
  const { rows } = await sql<{ id: string; jointure: string }>`
    select id, jointure from person where id = any(${sql.val([...personIds])}::bigint[])
  `.execute(db);
  return rows.map((r) => {
    const account = accounts.get(Number(r.id));
    return {
      personId: Number(r.id),
      jointure: r.jointure,
      desiredVersion: 2,
      previousKey: null,
      present: true,
      entry: account ? driver.desired(account) : null,
    };
  });
}

export async function personIds(db: Kysely<Database>): Promise<number[]> {
  const rows = await db.selectFrom('person').select('id').orderBy('id').execute();
  return rows.map((r) => Number(r.id));
}
