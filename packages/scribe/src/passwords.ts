import type { DriverTarget } from '@aaf-sync/targets';

/** An account the driver wrote in this batch, as the password port sees it. */
export interface WrittenAccount {
  readonly personId: number;
  /** Its DN on the server. */
  readonly key: string;
  /** True when the entry was created by this batch (an initial password is due). */
  readonly created: boolean;
}

/**
 * Where initial passwords come from (packages/credentials plugs in here). After writing a batch,
 * the driver asks for the clear passwords to set now — for entries it just created, and for any
 * reset pending among the others — and writes each as `userPassword` `{SSHA}` (never in clear).
 * `applied` is told which were set. Without a port, no password is written.
 */
export interface PasswordPort {
  passwordsFor(
    target: DriverTarget,
    accounts: readonly WrittenAccount[],
  ): Promise<ReadonlyMap<number, string>>;
  applied?(target: DriverTarget, personIds: readonly number[]): Promise<void>;
}
