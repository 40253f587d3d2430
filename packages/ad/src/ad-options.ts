import { KIND_SCHEMAS, type DriverTarget } from '@aaf-sync/targets';
import { AdErrors } from './errors.js';

/** An AD target's options and secret, as the kind declares them (packages/targets kinds). */
export function adOptions(target: DriverTarget) {
  const options = KIND_SCHEMAS.ad.options.safeParse(target.options);
  const secrets = KIND_SCHEMAS.ad.secrets.safeParse(target.secrets);
  if (!options.success || !secrets.success) {
    const issues = [...(options.error?.issues ?? []), ...(secrets.error?.issues ?? [])];
    throw AdErrors.INVALID_OPTIONS({
      name: target.name,
      problems: issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    });
  }
  return { ...options.data, bindPassword: secrets.data.bindPassword };
}

export type AdOptions = ReturnType<typeof adOptions>;

/** Whether the connection the options describe is encrypted (LDAPS, or StartTLS). */
export const encryptedChannel = (o: { url: string; startTls?: boolean | undefined }) =>
  o.url.startsWith('ldaps:') || o.startTls === true;
