import { aafIdOf, KEY_SEPARATOR, qualifiedKey, sql, type Executor } from '@aaf-sync/db';

/**
 * Directory keys (packages/db `directory-key.ts`): the key of a record (scope S, id J) is the key
 * of the row holding (S, J) if any; else J, unless a row of another scope holds the key J: then
 * `J@S`. Keys never change once given, so a single-scope deployment sees keys equal to the AAF
 * ids. No AAF id may hold the separator (such records are rejected `INVALID_IDENTIFIER`).
 */
export { aafIdOf, KEY_SEPARATOR, qualifiedKey };

/** An AAF id no key can be made of (it holds the separator). */
export function reservedId(id: string): boolean {
  return id.includes(KEY_SEPARATOR);
}

export function reservedIdMessage(entity: string, id: string): string {
  return `${entity} id ${id} holds '${KEY_SEPARATOR}', reserved for the directory keys of académie scopes`;
}

/** AAF id → directory key, for the ids of one batch (see ScopeKeys.persons). */
export type KeyOf = (id: string) => string;

const identity: KeyOf = (id) => id;

/**
 * The scopes at both ends of the directory and whether any key is qualified. min/max read the
 * ends of the (scope, aaf_id) index. The qualified keys have an index of their own
 * (`person_qualified_key`), but the planner cannot estimate `jointure <> aaf_id` (it takes
 * most rows to match) and, for a bare `exists`, scanned the whole table for the row that is
 * not there (0.7 s at 300,000 persons, in every delta). The first qualified key in the index's
 * order (not an `exists`, which drops the order) can only be read from the index without
 * sorting the table, whatever the estimate.
 */
export function keyShape() {
  return sql<{ lo: string | null; hi: string | null; qualified: boolean }>`
    select (select min(scope) from person) as lo, (select max(scope) from person) as hi,
      (select aaf_id from person where jointure <> aaf_id order by aaf_id limit 1) is not null
        as qualified`;
}

/**
 * The person keys of one delivery's scope. Nothing writes persons while a delivery is planned
 * (the import lock is held), so the key of an id is the same for a record and for every
 * reference to it. When the directory holds persons of this scope only and no qualified key
 * (every single-scope deployment), keys are the ids: no look-up at all. Otherwise each batch's
 * ids cost one indexed query (only the rows of this scope holding them, and the rows of other
 * scopes whose key they are).
 */
export class PersonKeys {
  private constructor(
    private readonly db: Executor,
    readonly scope: string,
    /** Keys are the ids (one scope, no qualified key). */
    readonly plain: boolean,
  ) {}

  static async load(db: Executor, scope: string): Promise<PersonKeys> {
    const { rows } = await keyShape().execute(db);
    const r = rows[0]!;
    const plain = r.lo === null || (r.lo === scope && r.hi === scope && !r.qualified);
    return new PersonKeys(db, scope, plain);
  }

  /** The keys of these ids (records and references alike). */
  async persons(ids: Iterable<string>): Promise<KeyOf> {
    if (this.plain) return identity;
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return identity;
    const { rows } = await sql<{ jointure: string; scope: string; aaf_id: string }>`
      select jointure, scope, aaf_id from person
      where (scope = ${this.scope} and aaf_id = any(${wanted}::text[]) and jointure <> aaf_id)
         or (jointure = any(${wanted}::text[]) and scope <> ${this.scope})`.execute(this.db);
    const own = new Map<string, string>();
    const foreign = new Set<string>();
    for (const r of rows) {
      if (r.scope === this.scope) own.set(r.aaf_id, r.jointure);
      else foreign.add(r.jointure);
    }
    const asked = new Set(wanted);
    return (id) => {
      if (!asked.has(id)) throw new Error(`person key of ${id} was not looked up`);
      return own.get(id) ?? (foreign.has(id) ? qualifiedKey(id, this.scope) : id);
    };
  }
}
