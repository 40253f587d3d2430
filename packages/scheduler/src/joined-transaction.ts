import type { Database, Kysely, Transaction } from '@aaf-sync/db';

/**
 * The transaction as a `Kysely` whose `transaction()` joins it instead of failing: an effect (or
 * a package function it calls, e.g. packages/credentials `purgeCredentials`) that opens "its"
 * transaction writes in the scheduler's, so the effect and the transition's `done` mark commit
 * together or not at all.
 */
export function joinedTransaction(trx: Transaction<Database>): Kysely<Database> {
  const proxy: Kysely<Database> = new Proxy(trx, {
    get(target, property) {
      if (property === 'transaction') {
        return () => {
          const builder = {
            setAccessMode: () => builder,
            setIsolationLevel: () => builder,
            execute: <T>(callback: (db: Kysely<Database>) => Promise<T>) => callback(proxy),
          };
          return builder;
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  }) as unknown as Kysely<Database>;
  return proxy;
}
