import { SHIPPED_DRIVERS } from '@aaf-sync/drivers';
import type { DriverRegistry } from '@aaf-sync/targets';

/** The drivers this process runs (packages/drivers); kinds missing there keep their rows pending. */
export const DRIVERS: DriverRegistry = SHIPPED_DRIVERS;
