import { koxoDriver } from '@aaf-sync/koxo';
import { scribeDriver } from '@aaf-sync/scribe';
import { noopDriver, type DriverRegistry } from '@aaf-sync/targets';

/**
 * The drivers this version ships, for every process that talks to targets (the targets
 * process, the CLI, the API's test and reconcile routes); kinds missing here keep their rows
 * pending (TARGETS_ERR_NO_DRIVER). Each driver lives in its own package; this one only
 * assembles them, so `packages/targets` depends on none of them.
 */
export const SHIPPED_DRIVERS: DriverRegistry = {
  noop: noopDriver(),
  scribe: scribeDriver(),
  koxo: koxoDriver(),
};
