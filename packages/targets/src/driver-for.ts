import type { Target } from '@aaf-sync/db';
import type { DriverContext, DriverRegistry, DriverTarget, TargetDriver } from './driver.js';
import { TargetsErrors } from './errors.js';
import type { SecretBox } from './secret-box.js';
import { openSecrets } from './target.repository.js';

/** The target as its driver sees it (secrets opened) and the driver, or TARGETS_ERR_NO_DRIVER. */
export function driverFor(
  drivers: DriverRegistry,
  box: SecretBox,
  row: Target,
  context: Omit<DriverContext, 'box'>,
): { target: DriverTarget; driver: TargetDriver } {
  const factory = drivers[row.kind];
  if (!factory) throw TargetsErrors.NO_DRIVER({ kind: row.kind });
  const target: DriverTarget = {
    id: Number(row.id),
    name: row.name,
    kind: row.kind,
    uais: row.uais,
    options: row.options,
    secrets: openSecrets(box, row),
  };
  return { target, driver: factory(target, { ...context, box }) };
}
