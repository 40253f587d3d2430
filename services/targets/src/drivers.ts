import type { Config } from '@aaf-sync/config';
import type { Database, Kysely } from '@aaf-sync/db';
import { shippedDrivers, shippedTasks } from '@aaf-sync/drivers';
import type { DriverRegistry, PeriodicTask, SecretBox } from '@aaf-sync/targets';

/** The drivers this process runs (packages/drivers); kinds missing there keep their rows pending. */
export function driversFor(config: Config): DriverRegistry {
  return shippedDrivers({ passwordLength: config.credentials.passwordLength });
}

/** The periodic tasks of the shipped kinds (packages/drivers): the KoXo read-back. */
export function tasksFor(db: Kysely<Database>, box: SecretBox): PeriodicTask[] {
  return shippedTasks({ db, box });
}
