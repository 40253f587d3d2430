import { sql, type Executor, type Identifier } from '@aaf-sync/db';

/** A homonym family: every identifier of `namespace` built from `base`. */
export interface FamilyKey {
  readonly namespace: string;
  readonly base: string;
}

export interface NewPrimary extends FamilyKey {
  readonly value: string;
  readonly personId: number;
}

/** Where a person's identifier events are filtered: its jointure and its main school's UAI. */
export interface PersonContext {
  readonly id: number;
  readonly jointure: string;
  readonly uai: string | null;
}

/**
 * Primary identifiers the given persons already hold in the given namespaces. A join on the
 * id list (not `namespace = any(…)`): right after a bulk load, before autovacuum analyses the
 * table, the planner would otherwise scan every value of the namespaces (seen: 600 ms at 1.6 M
 * rows instead of 10 ms).
 */
export async function findPrimaries(
  db: Executor,
  personIds: readonly number[],
  namespaces: readonly string[],
): Promise<{ person_id: number; namespace: string; value: string }[]> {
  const { rows } = await sql<{ person_id: number; namespace: string; value: string }>`
    select i.person_id, i.namespace, i.value from identifier i
    where i.person_id = any(${personIds}::bigint[]) and i.status = 'primary'
  `.execute(db);
  const wanted = new Set(namespaces);
  return rows.filter((r) => wanted.has(r.namespace));
}

/**
 * Reserves `count` consecutive homonym slots in each family, in one statement, and returns the
 * counter value after the reservation (the slots are `allocated - count … allocated - 1`).
 * Rows are locked in the given order (callers sort it) until the transaction ends: concurrent
 * allocators of the same family queue on the row instead of probing values, and a consistent
 * order prevents deadlocks between them.
 */
export async function reserveSlots(
  db: Executor,
  families: readonly (FamilyKey & { readonly count: number })[],
): Promise<{ namespace: string; base: string; allocated: number }[]> {
  const { rows } = await sql<{ namespace: string; base: string; allocated: number }>`
    insert into identifier_counter (namespace, base, allocated)
    select ns, b, c from unnest(
      ${families.map((f) => f.namespace)}::text[],
      ${families.map((f) => f.base)}::text[],
      ${families.map((f) => f.count)}::int[]
    ) with ordinality as f(ns, b, c, n)
    order by n
    on conflict (namespace, base)
      do update set allocated = identifier_counter.allocated + excluded.allocated
    returning namespace, base, allocated
  `.execute(db);
  return rows;
}

/**
 * Moves counters forward to `allocated` (never backwards). Used after skipping slots whose
 * value was already taken; the caller already holds the rows' locks from `reserveSlots`.
 */
export async function raiseCounters(
  db: Executor,
  families: readonly (FamilyKey & { readonly allocated: number })[],
): Promise<void> {
  if (families.length === 0) return;
  await sql`
    update identifier_counter c set allocated = greatest(c.allocated, f.a)
    from unnest(
      ${families.map((f) => f.namespace)}::text[],
      ${families.map((f) => f.base)}::text[],
      ${families.map((f) => f.allocated)}::int[]
    ) as f(ns, b, a)
    where c.namespace = f.ns and c.base = f.b
  `.execute(db);
}

/**
 * Inserts primary identifiers in one statement, in the given order. A value already taken
 * (by any person, alias or retired) is skipped, not an error: the returned list says which
 * rows went in, the caller retries the others with the next free number.
 */
export async function insertPrimaries(
  db: Executor,
  rows: readonly NewPrimary[],
): Promise<{ person_id: number; namespace: string }[]> {
  if (rows.length === 0) return [];
  const result = await sql<{ person_id: number; namespace: string }>`
    insert into identifier (namespace, value, person_id, status, base)
    select ns, v, p, 'primary', b from unnest(
      ${rows.map((r) => r.namespace)}::text[],
      ${rows.map((r) => r.value)}::text[],
      ${rows.map((r) => r.personId)}::bigint[],
      ${rows.map((r) => r.base)}::text[]
    ) with ordinality as r(ns, v, p, b, n)
    order by n
    on conflict (namespace, value) do nothing
    returning person_id, namespace
  `.execute(db);
  return result.rows;
}

/** Which of the given (namespace, value) pairs exist, whatever their status. */
export async function findTaken(
  db: Executor,
  pairs: readonly { readonly namespace: string; readonly value: string }[],
): Promise<{ namespace: string; value: string }[]> {
  if (pairs.length === 0) return [];
  const { rows } = await sql<{ namespace: string; value: string }>`
    select i.namespace, i.value from identifier i
    join unnest(
      ${pairs.map((p) => p.namespace)}::text[],
      ${pairs.map((p) => p.value)}::text[]
    ) as c(ns, v) on i.namespace = c.ns and i.value = c.v
  `.execute(db);
  return rows;
}

/** The counter of one family (0 when no value was ever handed out). */
export async function readCounter(db: Executor, family: FamilyKey): Promise<number> {
  const row = await db
    .selectFrom('identifier_counter')
    .select('allocated')
    .where('namespace', '=', family.namespace)
    .where('base', '=', family.base)
    .executeTakeFirst();
  return row?.allocated ?? 0;
}

/** Jointure and UAI of the main establishment of each person (for change events). */
export async function findPersonContexts(
  db: Executor,
  personIds: readonly number[],
): Promise<PersonContext[]> {
  if (personIds.length === 0) return [];
  const { rows } = await sql<PersonContext>`
    select p.id, p.jointure, s.uai
    from person p
    left join structure s on s.jointure = p.primary_structure
    where p.id = any(${personIds}::bigint[])
  `.execute(db);
  return rows;
}

/** Every identifier row of a person (all namespaces and statuses), oldest first. */
export async function findIdentifiersOfPerson(
  db: Executor,
  personId: number,
): Promise<Identifier[]> {
  return db
    .selectFrom('identifier')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('namespace')
    .orderBy('id')
    .execute();
}

/** One identifier row by value, locked for update when `lock` (inside a transaction). */
export async function findIdentifier(
  db: Executor,
  namespace: string,
  value: string,
  lock = false,
): Promise<Identifier | undefined> {
  let query = db
    .selectFrom('identifier')
    .selectAll()
    .where('namespace', '=', namespace)
    .where('value', '=', value);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}
