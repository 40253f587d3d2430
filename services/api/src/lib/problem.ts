import { STATUS_CODES } from 'node:http';
import { DbErrors } from '@aaf-sync/db';
import { isAppError, type AppError } from '@aaf-sync/errors';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ApiErrors } from '../errors.js';
import { hideServerPaths } from './server-paths.js';

/** One validation problem: where (`querystring`, `params`, `body`), which path, what is wrong. */
export interface ProblemItem {
  readonly in: string;
  readonly path: string;
  readonly message: string;
}

/** An RFC 9457 problem document, plus our stable `code` and the request id. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance: string;
  readonly requestId: string;
  readonly errors?: readonly ProblemItem[];
  readonly resync?: Readonly<Record<string, unknown>>;
}

/** The `type` URI of a code: stable, documented in docs/errors.md. */
export function problemType(code: string): string {
  return `urn:aaf-sync:error:${code}`;
}

interface RequestLike {
  readonly id: string;
  readonly url: string;
}

/** The detail a client sees: API_ERR_INTERNAL is generic; other packages' messages lose paths. */
function detailOf(err: AppError, request: RequestLike): string {
  if (err.code === ApiErrors.INTERNAL.code) {
    return ApiErrors.INTERNAL({ requestId: request.id }).message;
  }
  // The API's own messages name no server path (uploads are named by their file name); the
  // engine's and the AAF reader's name the files they opened, under the server's folders.
  return err.code.startsWith('API_ERR_') ? err.message : hideServerPaths(err.message);
}

/**
 * The problem document of an error. The detail of API_ERR_INTERNAL is generic (the cause is only
 * logged); other codes carry their message, without server paths (lib/server-paths.ts).
 */
export function toProblem(err: AppError, request: RequestLike): Problem {
  const status = err.status;
  const errors = err.details.errors as ProblemItem[] | undefined;
  const resync = err.details.resync as Record<string, unknown> | undefined;
  return {
    type: problemType(err.code),
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail: detailOf(err, request),
    code: err.code,
    instance: request.url.split('?')[0] ?? request.url,
    requestId: request.id,
    ...(errors ? { errors } : {}),
    ...(resync ? { resync } : {}),
  };
}

function clientError(err: { statusCode: number; message: string; code?: unknown }): AppError {
  // fastify's message quotes the whole path; the client has it already.
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return ApiErrors.URI_TOO_LONG({ reason: 'a path parameter is longer than the router accepts' });
  }
  if (err.statusCode === 413) return ApiErrors.PAYLOAD_TOO_LARGE({ reason: err.message });
  if (err.statusCode === 415) return ApiErrors.UNSUPPORTED_MEDIA_TYPE({ reason: err.message });
  return ApiErrors.BAD_REQUEST({ reason: err.message });
}

const PG_UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', '57P03']);
/** PostgreSQL refusing a parameter's text (a NUL byte, bad encoding): the client's input. */
const PG_BAD_TEXT = new Set(['22021', '22P05']);

/**
 * Maps any error to the AppError that describes it to a client: request validation → 400 with
 * every issue, our AppErrors as they are, fastify's client errors (bad JSON, media type, size)
 * → 4xx, an unreachable database → 503, anything else → 500.
 */
export function classifyError(err: unknown): AppError {
  if (isAppError(err)) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as { validationContext?: string }).validationContext ?? 'request';
    const errors: ProblemItem[] = err.validation.map((v) => ({
      in: where,
      path: v.instancePath.replace(/^\//, '').replace(/\//g, '.'),
      message: v.message ?? 'invalid',
    }));
    const summary = errors.map((e) => `${e.in}${e.path ? `.${e.path}` : ''}: ${e.message}`);
    return ApiErrors.VALIDATION({ summary: summary.join('; '), errors });
  }
  const e = err as { statusCode?: unknown; code?: unknown; message?: unknown } | null;
  if (
    e &&
    typeof e.statusCode === 'number' &&
    e.statusCode >= 400 &&
    e.statusCode < 500 &&
    typeof e.message === 'string'
  ) {
    return clientError({ statusCode: e.statusCode, message: e.message, code: e.code });
  }
  if (e && typeof e.code === 'string' && PG_BAD_TEXT.has(e.code)) {
    return ApiErrors.BAD_REQUEST({ reason: 'a parameter holds characters that cannot be stored' });
  }
  if (e && typeof e.code === 'string' && PG_UNREACHABLE.has(e.code)) {
    return DbErrors.UNREACHABLE({ reason: e.code }, { cause: err });
  }
  return ApiErrors.INTERNAL({}, { cause: err });
}
