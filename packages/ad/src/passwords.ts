import type { DriverTarget } from '@aaf-sync/targets';

/** An account the driver wrote in this batch, as the password port sees it. */
export interface WrittenAccount {
  readonly personId: number;
  /** Its DN in the domain. */
  readonly key: string;
  /** True when the entry was created by this batch (an initial password is due). */
  readonly created: boolean;
}

/**
 * Where passwords come from (packages/credentials `driverPasswords` plugs in). After writing a
 * batch the driver asks for the clear passwords to set now (created entries, pending resets),
 * sends each as `unicodePwd` over the encrypted connection, and tells `applied` which the domain
 * took. When the domain's policy refuses one, `reissue` replaces it with a new pending password
 * of at least `minLength` characters, which the account's retry sets.
 */
export interface AdPasswordPort {
  passwordsFor(
    target: DriverTarget,
    accounts: readonly WrittenAccount[],
  ): Promise<ReadonlyMap<number, string>>;
  applied?(target: DriverTarget, personIds: readonly number[]): Promise<void>;
  reissue?(target: DriverTarget, personId: number, minLength: number): Promise<number>;
}
