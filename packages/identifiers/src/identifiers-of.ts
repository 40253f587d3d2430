import { sql, type Executor, type Identifier, type IdentifierStatus } from '@aaf-sync/db';
import { findIdentifiersOfPerson } from './identifier.repository.js';

/** An identifier as the rest of aaf-sync sees it (API, account status, LDAP writers). */
export interface IdentifierRecord {
  readonly namespace: string;
  readonly value: string;
  readonly status: IdentifierStatus;
  /** Homonym family of an allocated value; null for values chosen by an administrator. */
  readonly base: string | null;
  readonly createdAt: Date;
  readonly retiredAt: Date | null;
  readonly note: string | null;
  readonly version: number;
}

export function toIdentifierRecord(row: Identifier): IdentifierRecord {
  return {
    namespace: row.namespace,
    value: row.value,
    status: row.status,
    base: row.base,
    createdAt: row.created_at,
    retiredAt: row.retired_at,
    note: row.note,
    version: row.version,
  };
}

/**
 * Every identifier of a person, in every namespace and status (primary, aliases, retired
 * history), by namespace then creation order. For the account page and the API.
 */
export async function identifiersOf(db: Executor, personId: number): Promise<IdentifierRecord[]> {
  return (await findIdentifiersOfPerson(db, personId)).map(toIdentifierRecord);
}

/**
 * The primary identifier of each person per namespace (`personId → { namespace: value }`), in
 * one query: what LDAP writers put in `uid` / `sAMAccountName`. Persons without any identifier
 * are absent from the map.
 */
export async function primaryIdentifiersOf(
  db: Executor,
  personIds: readonly number[],
): Promise<Map<number, Record<string, string>>> {
  const result = new Map<number, Record<string, string>>();
  if (personIds.length === 0) return result;
  // A join on the id list keeps the plan on the person index whatever the table statistics.
  const { rows } = await sql<{ person_id: number; namespace: string; value: string }>`
    select i.person_id, i.namespace, i.value
    from unnest(${personIds}::bigint[]) as p(id)
    join identifier i on i.person_id = p.id and i.status = 'primary'
    order by i.person_id, i.namespace
  `.execute(db);
  for (const row of rows) {
    const record = result.get(row.person_id) ?? {};
    record[row.namespace] = row.value;
    result.set(row.person_id, record);
  }
  return result;
}
