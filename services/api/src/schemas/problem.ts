import { z } from 'zod';

export const ProblemSchema = z
  .object({
    type: z.string().describe('URI of the problem type: `urn:aaf-sync:error:<code>`.'),
    title: z.string().describe('The HTTP status phrase.'),
    status: z.number().int(),
    detail: z.string().describe('What went wrong, for a human.'),
    code: z.string().describe('Stable error code (docs/errors.md), e.g. `API_ERR_NOT_FOUND`.'),
    instance: z.string().describe('The request path.'),
    requestId: z.string().describe('Also in the `x-request-id` header and the server logs.'),
    errors: z
      .array(
        z.object({
          in: z.string().describe('`params`, `querystring`, `body` or `headers`.'),
          path: z.string().describe('Dotted path of the bad value (empty: the whole part).'),
          message: z.string(),
        }),
      )
      .optional()
      .describe('Validation problems, one per bad value (400 API_ERR_VALIDATION).'),
    resync: z
      .object({
        snapshot: z.string(),
        then: z.string(),
      })
      .optional()
      .describe('On 410 API_ERR_CURSOR_EXPIRED: how to resynchronise.'),
  })
  .meta({
    id: 'Problem',
    description: 'An error, as an RFC 9457 `application/problem+json` document.',
  });

const DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Invalid request (API_ERR_VALIDATION, API_ERR_INVALID_CURSOR, API_ERR_BAD_REQUEST, API_ERR_BAD_MULTIPART).',
  401: 'Missing or invalid API key (API_ERR_UNAUTHENTICATED).',
  403: 'The key lacks the scope, or names a foreign establishment (API_ERR_FORBIDDEN, API_ERR_OUT_OF_SCOPE).',
  404: 'Not found, or outside the establishments of the key (API_ERR_NOT_FOUND).',
  409: 'Conflict with the current state.',
  410: 'The cursor fell out of the change log: resynchronise (API_ERR_CURSOR_EXPIRED).',
  413: 'Body too large (API_ERR_PAYLOAD_TOO_LARGE).',
  415: 'Unsupported media type (API_ERR_UNSUPPORTED_MEDIA_TYPE).',
  422: 'Well-formed, but outside what the rules allow (e.g. CALENDAR_ERR_BLOCKING_END_TOO_LATE).',
  429: 'Rate limit or failed-authentication limit exceeded; see the retry-after header (API_ERR_RATE_LIMITED, API_ERR_AUTH_THROTTLED).',
  500: 'Unexpected error (API_ERR_INTERNAL).',
  503: 'A dependency or service is unavailable (API_ERR_SERVICE_UNAVAILABLE, API_ERR_NOT_READY, DB_ERR_UNREACHABLE; writes: API_ERR_LIMITER_UNAVAILABLE).',
};

/** Response entries (for route schemas) of problem documents with these statuses. */
export function problemResponses(...statuses: number[]) {
  const out: Record<
    number,
    { description: string; content: Record<string, { schema: typeof ProblemSchema }> }
  > = {};
  for (const status of statuses) {
    out[status] = {
      description: DESCRIPTIONS[status] ?? 'Error.',
      content: { 'application/problem+json': { schema: ProblemSchema } },
    };
  }
  return out;
}
