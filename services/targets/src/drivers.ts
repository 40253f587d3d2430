import type { Config } from '@aaf-sync/config';
import { shippedDrivers } from '@aaf-sync/drivers';
import type { DriverRegistry } from '@aaf-sync/targets';

/** The drivers this process runs (packages/drivers); kinds missing there keep their rows pending. */
export function driversFor(config: Config): DriverRegistry {
  return shippedDrivers({ passwordLength: config.credentials.passwordLength });
}
