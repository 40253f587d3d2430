import type { AppError } from '@aaf-sync/errors';
import { IngestErrors } from '../errors.js';

/** What an import run stores in `import_run.error`: a catalogue code, its message, details. */
export type RunError = { code: string; message: string } & Record<string, unknown>;

/** An error as a run records it (an error of another catalogue keeps its own code). */
export function runError(err: unknown, extra: Record<string, unknown> = {}): RunError {
  if (err instanceof Error && typeof (err as { code?: unknown }).code === 'string') {
    return { code: (err as AppError).code, message: err.message, ...extra };
  }
  const failed = IngestErrors.IMPORT_FAILED({
    reason: err instanceof Error ? err.message : String(err),
  });
  return { code: failed.code, message: failed.message, ...extra };
}
