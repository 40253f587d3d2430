import { sql, type Transaction } from 'kysely';
import type { Database } from './database.js';
import type { Executor } from './executor.js';

/**
 * Runs `fn` in a transaction (the caller's, or one of its own) with `jit` off, then puts the
 * setting back. A statement whose estimated cost passes `jit_above_cost` has PostgreSQL compile
 * its expressions with LLVM first, which can dwarf an execution of milliseconds: the accounts'
 * statement (10,000 accounts: 3.5 s with JIT, 0.4 s without, PostgreSQL 15), a delta's
 * per-establishment counts (tens of milliseconds of compilation each).
 */
export async function withoutJit<T>(db: Executor, fn: (trx: Executor) => Promise<T>): Promise<T> {
  if (!db.isTransaction) return db.transaction().execute((trx) => withoutJit(trx, fn));
  const trx = db as Transaction<Database>;
  const { rows } = await sql<{ was: string }>`
    select current_setting('jit') as was, set_config('jit', 'off', true)`.execute(trx);
  const result = await fn(trx);
  await sql`select set_config('jit', ${rows[0]!.was}, true)`.execute(trx);
  return result;
}
