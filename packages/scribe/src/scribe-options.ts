import { KIND_SCHEMAS, type DriverTarget } from '@aaf-sync/targets';
import { ScribeErrors } from './errors.js';

/** A Scribe target's options and secret, as the kind declares them (packages/targets kinds). */
export function scribeOptions(target: DriverTarget) {
  const options = KIND_SCHEMAS.scribe.options.safeParse(target.options);
  const secrets = KIND_SCHEMAS.scribe.secrets.safeParse(target.secrets);
  if (!options.success || !secrets.success) {
    const issues = [...(options.error?.issues ?? []), ...(secrets.error?.issues ?? [])];
    throw ScribeErrors.INVALID_OPTIONS({
      name: target.name,
      problems: issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    });
  }
  return { ...options.data, bindPassword: secrets.data.bindPassword };
}
