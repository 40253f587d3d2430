import { KIND_SCHEMAS, type DriverTarget } from '@aaf-sync/targets';
import { DEFAULT_PRIMARY_GROUPS, type KoxoPopulation } from './columns.js';
import { KoxoErrors } from './errors.js';

/** The options of a `koxo` target, with the defaults applied. */
export interface KoxoOptions {
  readonly exportDir: string;
  /** Share of a file's rows a new snapshot may lose before it is held (default 0.10). */
  readonly shrinkThreshold: number;
  /** The populations written, in file order (relatives only when the target wants them). */
  readonly populations: readonly KoxoPopulation[];
  readonly primaryGroups: Readonly<Record<KoxoPopulation, string>>;
  /** Reading the site's AD back; null when the target has no `readBack` block. */
  readonly readBack: KoxoReadBackOptions | null;
}

/** The `readBack` block with its defaults (packages/koxo README, "Read-back"). */
export interface KoxoReadBackOptions {
  readonly url: string;
  readonly baseDn: string;
  readonly bindDn: string;
  readonly everyMinutes: number;
  readonly missingAfterSyncs: number;
  readonly uaiAttribute: string | null;
  readonly startTls: boolean;
  readonly tls: { readonly ca?: string; readonly rejectUnauthorized: boolean };
  readonly timeoutMs: number;
}

export const DEFAULT_READBACK_EVERY_MINUTES = 60;
export const DEFAULT_MISSING_AFTER_SYNCS = 3;

export const DEFAULT_SHRINK_THRESHOLD = 0.1;

export function koxoOptions(target: Pick<DriverTarget, 'name' | 'options'>): KoxoOptions {
  const parsed = KIND_SCHEMAS.koxo.options.safeParse(target.options);
  if (!parsed.success) {
    throw KoxoErrors.INVALID_OPTIONS({
      target: target.name,
      problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    });
  }
  const o = parsed.data;
  return {
    exportDir: o.exportDir,
    shrinkThreshold: o.shrinkThreshold ?? DEFAULT_SHRINK_THRESHOLD,
    populations: o.includeRelatives
      ? ['pupil', 'teacher', 'staff', 'relative']
      : ['pupil', 'teacher', 'staff'],
    primaryGroups: { ...DEFAULT_PRIMARY_GROUPS, ...o.primaryGroups },
    readBack: o.readBack
      ? {
          url: o.readBack.url,
          baseDn: o.readBack.baseDn,
          bindDn: o.readBack.bindDn,
          everyMinutes: o.readBack.everyMinutes ?? DEFAULT_READBACK_EVERY_MINUTES,
          missingAfterSyncs: o.readBack.missingAfterSyncs ?? DEFAULT_MISSING_AFTER_SYNCS,
          uaiAttribute: o.readBack.uaiAttribute ?? null,
          startTls: o.readBack.startTls ?? false,
          tls: {
            ...(o.readBack.tls?.ca ? { ca: o.readBack.tls.ca } : {}),
            rejectUnauthorized: o.readBack.tls?.rejectUnauthorized ?? true,
          },
          timeoutMs: o.readBack.timeoutMs ?? 30_000,
        }
      : null,
  };
}
