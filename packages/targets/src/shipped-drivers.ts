import type { DriverRegistry } from './driver.js';
import { noopDriver } from './noop-driver.js';

/**
 * The drivers this version ships, for every process that talks to targets (the targets
 * process, the CLI, the API's reconcile route); kinds missing here keep their rows pending.
 */
export const SHIPPED_DRIVERS: DriverRegistry = { noop: noopDriver() };
