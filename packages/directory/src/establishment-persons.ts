import { sql, withoutJit, type Executor, type RawBuilder } from '@aaf-sync/db';

/**
 * How a per-establishment statement reaches the persons of a few establishments: `'lookup'`, one
 * index look-up per attached person, when the establishments are at most a quarter of the
 * directory's (a delta, a scoped upload: the cost follows the establishments, not the
 * directory); `'join'` otherwise (a complete: one pass over every person is cheaper than as many
 * look-ups). Left to itself the planner hashes the whole `person` table even for 4 establishments
 * out of 238 (0.5 s at 300,000 persons, for a delta of 1,000 changes).
 */
export type PersonAccess = 'lookup' | 'join';

export async function personAccessFor(
  db: Executor,
  structures: readonly string[],
): Promise<PersonAccess> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from structure`.execute(db);
  return structures.length * 4 <= rows[0]!.n ? 'lookup' : 'join';
}

/**
 * `join person <alias> on <alias>.jointure = <jointure> and <filter>`, or with `'lookup'` the
 * same row through a `lateral (… limit 1)` look-up by jointure (unique), which the planner must
 * run per row. `columns` are those of `person` the statement reads from `<alias>`.
 */
export function joinPerson(
  access: PersonAccess,
  alias: string,
  jointure: string,
  filter: RawBuilder<boolean>,
  columns: readonly string[],
): RawBuilder<unknown> {
  const a = sql.raw(alias);
  const on = sql.ref(jointure);
  if (access === 'join') return sql`join person ${a} on ${a}.jointure = ${on} and ${filter}`;
  const cols = sql.join(columns.map((c) => sql.ref(`${alias}.${c}`)));
  return sql`cross join lateral (select ${cols} from person ${a}
    where ${a}.jointure = ${on} and ${filter} limit 1) ${a}`;
}

/**
 * Runs the statements of `fn` as `access` needs: with `'lookup'`, without JIT (PostgreSQL costs
 * each look-up as a random read, so a few thousand persons pass `jit_above_cost` and compiling
 * the expressions takes longer than the look-ups); with `'join'`, as they are.
 */
export function runFor<T>(
  access: PersonAccess,
  db: Executor,
  fn: (db: Executor) => Promise<T>,
): Promise<T> {
  return access === 'lookup' ? withoutJit(db, fn) : fn(db);
}
