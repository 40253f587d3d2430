import type { Database, Executor, Transaction } from '@aaf-sync/db';
import {
  IdentifierAllocator,
  type AllocateOptions,
  type PersonNames,
} from './identifier-allocator.js';
import type { NamespaceRule } from './namespace-rules.js';

export type { AllocateOptions, PersonNames } from './identifier-allocator.js';

/**
 * Gives every new person an identifier in every namespace, in the caller's transaction (or a
 * transaction of its own when given the pool): one `IdentifierAllocator` batch, its counters
 * written before returning. A caller allocating batch after batch in one long transaction (the
 * ingester) keeps one `IdentifierAllocator` instead, so the counters of recurring families are
 * written once, not once per batch.
 *
 * @example
 * const ids = await allocateIdentifiers(trx, [{ personId: 42, givenName: 'Jean', sn: 'Martin' }], rules);
 * ids.get(42); // { educonnect: 'j.martin3', scribe: 'jmartin3', koxo: 'jmartin3' }
 */
export async function allocateIdentifiers(
  db: Transaction<Database> | Executor,
  persons: readonly PersonNames[],
  rules: readonly NamespaceRule[],
  options: AllocateOptions = {},
): Promise<Map<number, Record<string, string>>> {
  if (!db.isTransaction) {
    return db.transaction().execute((trx) => allocateIdentifiers(trx, persons, rules, options));
  }
  const allocator = new IdentifierAllocator(db as Transaction<Database>, rules, options);
  const values = await allocator.allocate(persons);
  await allocator.finish();
  return values;
}
