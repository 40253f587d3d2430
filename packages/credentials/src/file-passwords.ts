import type { Executor } from '@aaf-sync/db';
import type { DriverContext } from '@aaf-sync/targets';
import { initialPasswords, markPasswordsSet } from './credential-store.js';

/**
 * The initial-password source of a target fed by files (KoXo: `koxoDriver({ initialPasswords })`
 * in packages/drivers), shaped like packages/koxo's `InitialPasswords` without depending on it:
 * - `forNew`: for each account about to appear in a file for the first time, its pending
 *   password (issued at an earlier regeneration whose file was held, or by a reset), else a new
 *   one from the generator, sealed in `credential` (`pending`, reason `initial`);
 * - `published`: the file carrying them is published, so the site has them: `pending` → `set`
 *   (a credentials sheet may list them from then on).
 * Logins are the file's (the `koxo` identifier). Runs in the caller's transaction (`db`).
 */
export function filePasswords(
  context: Pick<DriverContext, 'box'>,
  options: { length?: number } = {},
) {
  return {
    forNew(
      db: Executor,
      target: { id: number; name: string },
      accounts: readonly { personId: number; login: string }[],
    ): Promise<ReadonlyMap<number, string>> {
      if (accounts.length === 0) return Promise.resolve(new Map());
      return initialPasswords(db, context.box, target, accounts, options);
    },
    async published(
      db: Executor,
      target: { id: number; name: string },
      personIds: readonly number[],
    ): Promise<void> {
      await markPasswordsSet(db, target.id, personIds);
    },
  };
}
