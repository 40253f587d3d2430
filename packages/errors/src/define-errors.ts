import { AppError } from './app-error.js';

/** What a catalogue entry declares. `message` may hold `{placeholders}` filled from details. */
export interface ErrorSpec {
  readonly status: number;
  readonly message: string;
  /** What it means and what to do; rendered in docs/errors.md. */
  readonly description: string;
  readonly retryable?: boolean;
}

export interface ErrorFactory {
  (details?: Record<string, unknown>, options?: { cause?: unknown }): AppError;
  readonly code: string;
  readonly spec: ErrorSpec;
  /** True when `err` is an AppError with this factory's code. */
  is(err: unknown): err is AppError;
}

export type Catalogue<K extends string> = { readonly [P in K]: ErrorFactory };

export interface CatalogueEntry extends ErrorSpec {
  readonly code: string;
  readonly package: string;
}

const registry = new Map<string, CatalogueEntry>();

function render(template: string, details: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in details ? String(details[key]) : whole,
  );
}

/**
 * Declares a package's error catalogue. Codes are `<PREFIX>_ERR_<KEY>` and must be unique across
 * the whole process (a duplicate throws at import time, so a clash cannot ship).
 *
 * @example
 * export const ConfigErrors = defineErrors('CONFIG', {
 *   INVALID: { status: 500, message: 'invalid configuration: {problems}', description: '…' },
 * });
 * throw ConfigErrors.INVALID({ problems: 'PORT: expected a number' });
 */
export function defineErrors<K extends string>(
  prefix: string,
  specs: { readonly [P in K]: ErrorSpec },
  packageName = prefix.toLowerCase(),
): Catalogue<K> {
  if (!/^[A-Z][A-Z0-9]*$/.test(prefix)) throw new Error(`bad error prefix ${prefix}`);
  const out = {} as Record<K, ErrorFactory>;
  for (const key of Object.keys(specs) as K[]) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(key)) throw new Error(`bad error key ${key}`);
    const spec = specs[key];
    const code = `${prefix}_ERR_${key}`;
    const existing = registry.get(code);
    if (existing && existing.message !== spec.message) {
      throw new Error(`error code ${code} is defined twice`);
    }
    registry.set(code, { ...spec, code, package: packageName });
    const shape = { code, status: spec.status, retryable: spec.retryable ?? false };
    const factory = ((details: Record<string, unknown> = {}, options?: { cause?: unknown }) =>
      new AppError(shape, render(spec.message, details), details, options)) as ErrorFactory;
    Object.defineProperties(factory, {
      code: { value: code },
      spec: { value: spec },
      is: { value: (err: unknown) => err instanceof AppError && err.code === code },
    });
    out[key] = factory;
  }
  return Object.freeze(out);
}

/** Every code declared so far in this process (for docs and the catalogue test). */
export function registeredErrors(): CatalogueEntry[] {
  return [...registry.values()].sort((a, b) => a.code.localeCompare(b.code));
}
