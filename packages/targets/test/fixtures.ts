import { Writable } from 'node:stream';
import { appendEvents, sql, type Database, type Kysely } from '@aaf-sync/db';
import { createLogger } from '@aaf-sync/logger';
import { seedStructure } from '@aaf-sync/testing';
import { createSecretBox } from '../src/index.js';

export const UAI_A = '0750001A';
export const UAI_B = '0750002B';
export const KEY = Buffer.alloc(32, 7).toString('base64');
export const box = createSecretBox(KEY);

/** A logger writing into `lines` (to assert what is, and is not, logged). */
export function captureLog(level = 'info') {
  const lines: string[] = [];
  const log = createLogger(
    { level },
    new Writable({
      write: (c: Buffer, _e, done) => {
        lines.push(c.toString());
        done();
      },
    }),
  );
  return { log, lines };
}

/** Two establishments: S-A (UAI_A) and S-B (UAI_B). */
export async function seedSchools(db: Kysely<Database>): Promise<void> {
  await seedStructure(db, { jointure: 'S-A', uai: UAI_A, name: 'Collège A' });
  await seedStructure(db, { jointure: 'S-B', uai: UAI_B, name: 'Collège B' });
}

/**
 * `count` active pupils `<prefix>1…` in one structure, each with a primary `scribe` login, in
 * three set-based statements. Resolves to their jointures.
 */
export async function seedAccounts(
  db: Kysely<Database>,
  o: { prefix: string; structure: string; count: number },
): Promise<string[]> {
  await sql`
    insert into person (jointure, category, profile, level, given_name, sn, attributes, record_hash,
      primary_structure)
    select ${o.prefix} || n, 'pupil', 'pupil', '2d', 'Given' || n, 'Sn' || n, '{}', 'h' || n,
      ${o.structure}
    from generate_series(1, ${o.count}) n
  `.execute(db);
  await sql`
    insert into person_structure (person_jointure, structure_jointure)
    select ${o.prefix} || n, ${o.structure} from generate_series(1, ${o.count}) n
  `.execute(db);
  await sql`
    insert into identifier (person_id, namespace, value, status, base)
    select p.id, 'scribe', lower(p.jointure), 'primary', lower(p.jointure)
    from person p where p.jointure like ${`${o.prefix}%`}
  `.execute(db);
  return Array.from({ length: o.count }, (_, i) => `${o.prefix}${i + 1}`);
}

/** One `person.updated` event per jointure, with the UAIs given (committed in one transaction). */
export async function personEvents(
  db: Kysely<Database>,
  jointures: readonly string[],
  uais: readonly string[],
): Promise<void> {
  await db.transaction().execute((trx) =>
    appendEvents(
      trx,
      jointures.map((j) => ({
        entityType: 'person' as const,
        entityKey: j,
        op: 'updated' as const,
        version: 2,
        uais,
      })),
    ),
  );
}

/** Provisioning rows of a target, by person jointure. */
export async function rowsOf(db: Kysely<Database>, targetId: number) {
  const rows = await db
    .selectFrom('provisioning as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .select([
      'p.jointure',
      'r.desired_version',
      'r.applied_version',
      'r.status',
      'r.attempts',
      'r.last_error',
      'r.target_key',
      'r.present',
      'r.next_attempt_at',
    ])
    .where('r.target_id', '=', targetId)
    .orderBy('p.jointure')
    .execute();
  return new Map(rows.map((r) => [r.jointure, r]));
}
