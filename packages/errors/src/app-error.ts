/**
 * The one error type of aaf-sync. Every error a package throws on purpose is an `AppError` with a
 * stable `code` (`<PKG>_ERR_<WHAT>`), an HTTP `status` (used by the API's single error handler),
 * and `retryable` (used by queue workers: a non-retryable failure is not retried).
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: string;
  readonly status: number;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    spec: { code: string; status: number; retryable: boolean },
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = spec.code;
    this.status = spec.status;
    this.retryable = spec.retryable;
    this.details = Object.freeze({ ...details });
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
