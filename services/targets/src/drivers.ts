import { noopDriver, type DriverRegistry } from '@aaf-sync/targets';

/** The drivers this version ships; kinds missing here keep their rows pending. */
export const DRIVERS: DriverRegistry = { noop: noopDriver() };
