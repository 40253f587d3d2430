import { defineErrors } from '@aaf-sync/errors';

/**
 * The API's error catalogue. Every error response is an `application/problem+json` document
 * (RFC 9457) whose `code` is one of these (or another package's code, e.g. DB_ERR_UNREACHABLE).
 */
export const ApiErrors = defineErrors('API', {
  UNAUTHENTICATED: {
    status: 401,
    message: 'missing, malformed, unknown or revoked API key',
    description:
      'Send the key as `Authorization: Bearer aafk_<id>_<secret>`. Keys are created and revoked by ' +
      'an operator with `pnpm aaf-sync keys`; a revoked key is refused like an unknown one.',
  },
  FORBIDDEN: {
    status: 403,
    message: 'this API key lacks the scope needed here (one of: {scopes})',
    description:
      'The key is valid but was not given a scope this route requires. Ask an operator for a key ' +
      'with that scope (`keys create --scopes …`); `admin` grants every scope.',
  },
  OUT_OF_SCOPE: {
    status: 403,
    message: 'establishment {uai} is outside the establishments of this API key',
    description:
      'The key is restricted to some establishments (UAIs) and the request names another one. ' +
      'Use a key of that establishment, or an unrestricted key.',
  },
  NOT_FOUND: {
    status: 404,
    message: '{resource} {id} not found',
    description:
      'The resource does not exist, or it belongs to an establishment outside the scope of the ' +
      'key (the API does not tell the two apart).',
  },
  ROUTE_NOT_FOUND: {
    status: 404,
    message: 'no route {method} {path}',
    description: 'The URL or the method is wrong. The OpenAPI document at /docs lists the routes.',
  },
  VALIDATION: {
    status: 400,
    message: 'invalid request: {summary}',
    description:
      'A parameter, query string or body does not match the schema; `errors` lists every ' +
      'problem with its location and path. Fix the request; retrying it unchanged fails again.',
  },
  BAD_REQUEST: {
    status: 400,
    message: '{reason}',
    description:
      'The request could not be read (malformed JSON, bad multipart body, unsupported media type ' +
      'or a body too large). The detail says which.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    message: '{reason}',
    description:
      'The body or an uploaded file is larger than the API accepts. Split the delivery, or give ' +
      'the files to the ingester through its inbox instead of the API.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: '{reason}',
    description:
      'The Content-Type of the body is not one the route reads (JSON, or multipart/form-data for ' +
      'uploads).',
  },
  BAD_MULTIPART: {
    status: 400,
    message: 'the multipart body cannot be read: {reason}',
    description:
      'The upload is not a well-formed multipart/form-data body (no or wrong boundary, a part ' +
      'without its headers, a body cut before its closing delimiter). Nothing was imported; send ' +
      'the files again with a standard HTTP client.',
  },
  URI_TOO_LONG: {
    status: 414,
    message: 'the URL is too long ({reason})',
    description:
      'A path parameter is longer than the router accepts (identifiers are short). Check the URL; ' +
      'filters go in the query string.',
  },
  HEADERS_TOO_LARGE: {
    status: 431,
    message: 'the request line and headers exceed the size the server reads',
    description:
      'Node refuses requests whose request line and headers together exceed its header limit ' +
      '(16 KiB by default): usually a query string far too long. Shorten the URL.',
  },
  REQUEST_TIMEOUT: {
    status: 408,
    message: 'the request was not received in time',
    description:
      'The client did not send the whole request (headers and body) within the server timeout. ' +
      'Check the connection and send it again.',
    retryable: true,
  },
  INVALID_CURSOR: {
    status: 400,
    message: 'the cursor is not one this list issued',
    description:
      'Cursors are opaque: pass back exactly the `nextCursor` (or `feedCursor`) a previous answer ' +
      'of the same list returned. A cursor of one list is not valid for another.',
  },
  CURSOR_EXPIRED: {
    status: 410,
    message:
      'cursor {cursor} is no longer in the change log (events up to {watermark} were purged, or the ' +
      'log was restored behind it)',
    description:
      'The change feed keeps events for CHANGES_RETENTION_DAYS. Resynchronise: take a snapshot ' +
      '(GET /v1/persons and the other lists; the first page returns a `feedCursor`), then follow ' +
      'GET /v1/changes from that cursor. The problem document carries a `resync` object saying so.',
  },
  AMBIGUOUS_ACCOUNT: {
    status: 409,
    message: '"{ref}" names {count} accounts; prefix it with id:, jointure: or <namespace>:',
    description:
      'An unprefixed account reference matched several persons (e.g. one internal id and another ' +
      "person's jointure). Say which kind of reference it is with a prefix.",
  },
  ACCOUNT_IN_SEVERAL_SCOPES: {
    status: 409,
    message: '"{ref}" names persons of several académie scopes ({scopes}); add ?scope=<scope>',
    description:
      'Jointures are unique within an académie only, and a regional deployment holds several ' +
      '(the scope of the AAF file names). The reference matched persons of more than one: say which ' +
      "académie with the `scope` query parameter (the account's `scope` field).",
  },
  PLAN_NOT_HELD: {
    status: 409,
    message: 'the plan of {uai} in import {importId} is {status}, not held',
    description:
      'Only a held establishment plan (safety threshold) can be approved or discarded. List the ' +
      "import's plans to see their state.",
  },
  RATE_LIMITED: {
    status: 429,
    message: 'rate limit of {max} requests per minute exceeded; retry in {after}',
    description:
      'Each API key may send API_RATE_LIMIT_PER_MINUTE requests per minute (shared by every API ' +
      'process through Redis). Wait for the `retry-after` seconds, then continue.',
    retryable: true,
  },
  AUTH_THROTTLED: {
    status: 429,
    message: 'too many failed authentications {from}; retry in {after} seconds',
    description:
      'After API_AUTH_FAILURES_PER_MINUTE failed authentications from one client address, or with ' +
      'one key id and a wrong secret, every request from that address (or with that key id) is ' +
      'refused for the rest of the minute, even with a correct key. Wait for `retry-after`, and ' +
      'check the key your client sends.',
    retryable: true,
  },
  LIMITER_UNAVAILABLE: {
    status: 503,
    message: 'the rate limiter does not answer; write requests are refused until it does',
    description:
      'Rate limits are counted in Redis. When Redis does not answer, write requests (POST, PUT, ' +
      'PATCH, DELETE) fail closed with this error; read requests are still served. Retry after ' +
      '`retry-after` seconds; /readyz shows whether Redis is back.',
    retryable: true,
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    message: 'the {service} service is not available in this API process',
    description:
      'The route needs a service (import engine, identifier allocator) this process was started ' +
      'without. Check the deployment; the rest of the API works.',
    retryable: true,
  },
  NOT_READY: {
    status: 503,
    message: 'not ready: {failures}',
    description:
      'PostgreSQL or Redis does not answer. /readyz lists which; the process keeps trying and ' +
      'becomes ready again when they answer.',
    retryable: true,
  },
  INTERNAL: {
    status: 500,
    message: 'internal error (request {requestId})',
    description:
      'An unexpected error. The message is generic on purpose; the server log has the details ' +
      'under the same request id.',
    retryable: true,
  },
});
