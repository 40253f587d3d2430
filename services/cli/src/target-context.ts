import type { Config } from '@aaf-sync/config';
import { createDb, type Database, type Kysely, type Target } from '@aaf-sync/db';
import { SHIPPED_DRIVERS } from '@aaf-sync/drivers';
import {
  createSecretBox,
  driverFor,
  findTarget,
  type DriverTarget,
  type SecretBox,
  type TargetDriver,
} from '@aaf-sync/targets';

/** What a command working on targets holds: the database and the targets' secret box. */
export interface CliDatabase {
  readonly db: Kysely<Database>;
  readonly box: SecretBox;
}

/** …plus one target's row, found by name. */
export interface TargetContext extends CliDatabase {
  readonly row: Target;
}

/** …plus its driver (shipped drivers) and the target as the driver sees it (secrets opened). */
export interface TargetDriverContext extends TargetContext {
  readonly target: DriverTarget;
  readonly driver: TargetDriver;
}

export interface TargetOptions {
  /** Connections of the command's pool (default 2). */
  readonly poolMax?: number;
  /** Throws when the command does not apply to that target (checked before any driver). */
  readonly accept?: (row: Target) => void;
}

/**
 * Runs `fn` with the database (a pool of `poolMax`, closed afterwards) and the secret box of
 * TARGET_SECRETS_KEY (and the previous keys).
 */
export async function withDatabase<T>(
  config: Config,
  poolMax: number,
  fn: (ctx: CliDatabase) => Promise<T>,
): Promise<T> {
  const box = createSecretBox(config.targets.secretsKey, config.targets.previousSecretsKeys);
  const handle = createDb({ url: config.database.url, poolMax, applicationName: 'aaf-sync-cli' });
  try {
    return await fn({ db: handle.db, box });
  } finally {
    await handle.close();
  }
}

/** {@link withDatabase} and the target named `name` (TARGETS_ERR_NOT_FOUND when there is none). */
export function withTarget<T>(
  config: Config,
  name: string,
  fn: (ctx: TargetContext) => Promise<T>,
  options: TargetOptions = {},
): Promise<T> {
  return withDatabase(config, options.poolMax ?? 2, async (ctx) => {
    const row = await findTarget(ctx.db, name);
    options.accept?.(row);
    return fn({ ...ctx, row });
  });
}

/** Runs `fn` with the driver of the target's kind, closed afterwards. */
export async function withDriver<T>(
  ctx: TargetContext,
  fn: (ctx: TargetDriverContext) => Promise<T>,
): Promise<T> {
  const { target, driver } = driverFor(SHIPPED_DRIVERS, ctx.box, ctx.row, { db: ctx.db });
  try {
    return await fn({ ...ctx, target, driver });
  } finally {
    await driver.close?.();
  }
}

/** {@link withTarget} and {@link withDriver}. */
export function withTargetDriver<T>(
  config: Config,
  name: string,
  fn: (ctx: TargetDriverContext) => Promise<T>,
  options: TargetOptions = {},
): Promise<T> {
  return withTarget(config, name, (ctx) => withDriver(ctx, fn), options);
}
