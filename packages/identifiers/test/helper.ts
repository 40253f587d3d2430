import type { Kysely, Database } from '@aaf-sync/db';
import {
  allocateIdentifiers,
  namespaceRules,
  type AllocateOptions,
  type NamespaceRule,
} from '../src/index.js';

/** The default namespaces (educonnect, scribe, koxo), numbers from 1. */
export const rules = namespaceRules({
  namespaces: ['educonnect', 'scribe', 'koxo'],
  numberStart: 1,
});

let sequence = 0;

/**
 * Inserts persons (identifier.person_id references person.id) and returns their ids in input
 * order. `structure` (jointure) is created with `uai` when given, for event filters.
 */
export async function insertPersons(
  db: Kysely<Database>,
  names: readonly (readonly [givenName: string, sn: string])[],
  options: { readonly structure?: { jointure: string; uai: string } } = {},
): Promise<number[]> {
  if (names.length === 0) return [];
  const structure = options.structure;
  if (structure) {
    await db
      .insertInto('structure')
      .values({
        jointure: structure.jointure,
        uai: structure.uai,
        name: 'Collège test',
        level: '2d',
        attributes: '{}',
        record_hash: 'h',
      })
      .onConflict((oc) => oc.column('jointure').doNothing())
      .execute();
  }
  const rows = await db
    .insertInto('person')
    .values(
      names.map(([givenName, sn]) => ({
        jointure: `P${process.pid}-${++sequence}`,
        category: 'pupil' as const,
        profile: 'pupil' as const,
        level: '2d' as const,
        given_name: givenName,
        sn,
        primary_structure: structure?.jointure ?? null,
        attributes: '{}',
        record_hash: 'h',
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Persons with their names, as allocateIdentifiers takes them. */
export function named(
  ids: readonly number[],
  names: readonly (readonly [string, string])[],
): { personId: number; givenName: string; sn: string }[] {
  return ids.map((personId, i) => ({
    personId,
    givenName: names[i]?.[0] ?? '',
    sn: names[i]?.[1] ?? '',
  }));
}

/** Inserts the persons, then allocates their identifiers, in one transaction (as the ingester). */
export async function createPersons(
  db: Kysely<Database>,
  names: readonly (readonly [string, string])[],
  options: AllocateOptions = {},
  ruleSet: readonly NamespaceRule[] = rules,
): Promise<{ ids: number[]; values: Record<string, string>[] }> {
  return db.transaction().execute(async (trx) => {
    const ids = await insertPersons(trx, names);
    const map = await allocateIdentifiers(trx, named(ids, names), ruleSet, options);
    return { ids, values: ids.map((id) => map.get(id) ?? {}) };
  });
}

/** Every value of a namespace, whatever its status. */
export async function valuesOf(db: Kysely<Database>, namespace: string): Promise<string[]> {
  const rows = await db
    .selectFrom('identifier')
    .select('value')
    .where('namespace', '=', namespace)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.value);
}
