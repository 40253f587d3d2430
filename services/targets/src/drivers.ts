import { SHIPPED_DRIVERS, type DriverRegistry } from '@aaf-sync/targets';

/** The drivers this version ships (packages/targets); kinds missing here keep their rows pending. */
export const DRIVERS: DriverRegistry = SHIPPED_DRIVERS;
