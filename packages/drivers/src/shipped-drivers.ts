import { adDriver } from '@aaf-sync/ad';
import { driverPasswords, filePasswords } from '@aaf-sync/credentials';
import { koxoDriver } from '@aaf-sync/koxo';
import { scribeDriver } from '@aaf-sync/scribe';
import { noopDriver, type DriverRegistry } from '@aaf-sync/targets';

export interface ShippedDriverOptions {
  /** CREDENTIALS_PASSWORD_LENGTH (initial passwords at creation); default 12. */
  readonly passwordLength?: number;
}

/**
 * The drivers this version ships, for every process that talks to targets (the targets
 * process, the CLI, the API's test and reconcile routes); kinds missing here keep their rows
 * pending (TARGETS_ERR_NO_DRIVER). Each driver lives in its own package; this one only
 * assembles them, so `packages/targets` depends on none of them. The Scribe, KoXo and Active
 * Directory drivers take their initial passwords from packages/credentials (stored sealed until
 * the sheet is retrieved; KoXo's go in the file that creates the account, AD's `unicodePwd` over
 * LDAPS only).
 */
export function shippedDrivers(options: ShippedDriverOptions = {}): DriverRegistry {
  const length = options.passwordLength;
  return {
    noop: noopDriver(),
    scribe: scribeDriver({
      passwords: (context) => driverPasswords(context, length !== undefined ? { length } : {}),
    }),
    koxo: koxoDriver({
      initialPasswords: (context) => filePasswords(context, length !== undefined ? { length } : {}),
    }),
    ad: adDriver({
      passwords: (context) => driverPasswords(context, length !== undefined ? { length } : {}),
    }),
  };
}

/** `shippedDrivers()` with the default password length. */
export const SHIPPED_DRIVERS: DriverRegistry = shippedDrivers();
