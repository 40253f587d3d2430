import { sql, type Database, type Kysely } from '@aaf-sync/db';
import { createSecretBox, createTarget, findTarget } from '@aaf-sync/targets';
import {
  seedClassGroup,
  seedIdentifier,
  seedMembership,
  seedPerson,
  seedStructure,
} from '@aaf-sync/testing';

export const UAI_A = '0750001A';
export const UAI_B = '0750002B';
export const KEY = Buffer.alloc(32, 9).toString('base64');
export const box = createSecretBox(KEY);

/** A Scribe target (no server behind it: the tests here never run its driver). */
export async function scribeTarget(
  db: Kysely<Database>,
  name: string,
  uais: readonly string[],
  kind: 'scribe' | 'noop' = 'scribe',
): Promise<{ id: number; name: string }> {
  await createTarget(
    db,
    box,
    kind === 'scribe'
      ? {
          kind,
          name,
          uais: [...uais],
          options: {
            url: 'ldap://scribe.invalid:389',
            baseDn: 'o=gouv,c=fr',
            bindDn: 'cn=admin,o=gouv,c=fr',
          },
          secrets: { bindPassword: 'bind-secret' },
        }
      : { kind, name, uais: [...uais], options: {} },
    'test',
  );
  const row = await findTarget(db, name);
  return { id: Number(row.id), name: row.name };
}

export interface School {
  /** Person ids by jointure. */
  readonly ids: Record<string, number>;
}

/**
 * Collège A (UAI_A): pupils P1 (Martin Léa) and P2 (Durand Hugo) in 3A, P3 (Petit Zoé) in 3B,
 * teacher T1 in no class; Collège B (UAI_B): pupil Q1 in 4C. Each has a primary `scribe` login
 * (`<jointure lower-case>`).
 */
export async function seedSchool(db: Kysely<Database>): Promise<School> {
  await seedStructure(db, { jointure: 'S-A', uai: UAI_A, name: 'Collège A' });
  await seedStructure(db, { jointure: 'S-B', uai: UAI_B, name: 'Collège B' });
  const c3a = await seedClassGroup(db, { structure: 'S-A', kind: 'class', code: '3A' });
  const c3b = await seedClassGroup(db, { structure: 'S-A', kind: 'class', code: '3B' });
  const c4c = await seedClassGroup(db, { structure: 'S-B', kind: 'class', code: '4C' });
  const people: [string, string, string, string, number | null][] = [
    ['P1', 'Léa', 'Martin', 'S-A', c3a],
    ['P2', 'Hugo', 'Durand', 'S-A', c3a],
    ['P3', 'Zoé', 'Petit <b>', 'S-A', c3b],
    ['T1', 'Anne', 'Prof', 'S-A', null],
    ['Q1', 'Noé', 'Bernard', 'S-B', c4c],
  ];
  const ids: Record<string, number> = {};
  for (const [jointure, givenName, sn, structure, cls] of people) {
    ids[jointure] = await seedPerson(db, {
      jointure,
      category: jointure.startsWith('T') ? 'staff' : 'pupil',
      givenName,
      sn,
      structures: [structure],
    });
    await seedIdentifier(db, {
      personId: ids[jointure],
      namespace: 'scribe',
      value: jointure.toLowerCase(),
    });
    if (cls !== null) await seedMembership(db, cls, jointure);
  }
  return { ids };
}

/** The provisioning row of an account the target holds, applied (creation fills them pending). */
export async function held(
  db: Kysely<Database>,
  targetId: number,
  personId: number,
): Promise<void> {
  await sql`
    insert into provisioning (target_id, person_id, desired_version, applied_version, status,
      present, target_key)
    values (${targetId}, ${personId}, 1, 1, 'applied', true, 'uid=x')
    on conflict (target_id, person_id) do update set desired_version = 1, applied_version = 1,
      status = 'applied', present = true, target_key = 'uid=x'
  `.execute(db);
}
