import type { Executor } from '@aaf-sync/db';
import type { DriverContext } from '@aaf-sync/targets';

/** The target as the password source needs it. */
export interface PasswordTargetRef {
  readonly id: number;
  readonly name: string;
}

/**
 * Where the initial passwords of a KoXo target come from. The password goes in the file that
 * creates the account (the first published snapshot listing it) and never again:
 * - `forNew`: the passwords of accounts about to appear in a file for the first time (by person
 *   id; asked at each regeneration until the account is published, so the same password must
 *   come back: a held snapshot and its approval carry the one the sheet will list);
 * - `published`: these accounts are now in a published file — their passwords are with the
 *   site (a credentials sheet may list them).
 * Both run inside the regeneration's transaction (`db`). packages/credentials provides the
 * shipped one (`filePasswords`: generated, sealed in `credential`); the default gives none (the
 * MotDePasse column stays empty and the site keeps `<Password>Generated</Password>`).
 */
export interface InitialPasswords {
  forNew(
    db: Executor,
    target: PasswordTargetRef,
    accounts: readonly { personId: number; login: string }[],
  ): Promise<ReadonlyMap<number, string>>;
  published(db: Executor, target: PasswordTargetRef, personIds: readonly number[]): Promise<void>;
}

export const noInitialPasswords: InitialPasswords = {
  forNew: () => Promise.resolve(new Map()),
  published: () => Promise.resolve(),
};

/** The source bound to the driver's context (database and secret box), as `koxoDriver` takes it. */
export type InitialPasswordsFactory = (context: DriverContext) => InitialPasswords;
