import { defineErrors } from '@aaf-sync/errors';

export const WebhooksErrors = defineErrors('WEBHOOKS', {
  SIGNATURE: {
    status: 401,
    message: 'webhook signature not valid: {reason}',
    description:
      'A receiver checked a delivery: the headers are missing or malformed, or no `v1` ' +
      'signature matches the body with the secrets it knows. Reject the request.',
  },
  TIMESTAMP: {
    status: 401,
    message: 'webhook timestamp {timestamp} is outside the tolerance of {toleranceSeconds} s',
    description:
      'The `webhook-timestamp` header is too old or too far in the future (replay protection). ' +
      'Check the receiver’s clock, or reject the request.',
  },
  SECRET_FORMAT: {
    status: 400,
    message: 'a webhook secret is `whsec_` followed by base64 (at least 24 bytes)',
    description: 'The signing secret given is not in the Standard Webhooks format.',
  },
  URL_REFUSED: {
    status: 400,
    message: 'webhook URL {url} refused: {reason}',
    description:
      'The URL resolves to a private, loopback, link-local or otherwise reserved address and ' +
      'WEBHOOK_ALLOW_PRIVATE_TARGETS is off, or its scheme is not http(s).',
  },
  NOT_FOUND: {
    status: 404,
    message: 'no webhook subscription named {name}',
    description:
      'No target of kind `webhook` has this name (or it is outside your establishments).',
  },
  REPLAY_TOO_OLD: {
    status: 410,
    message: 'events before seq {watermark} were purged: cannot replay from {fromSeq}',
    description:
      'The event log keeps CHANGES_RETENTION_DAYS of events; replay from a later seq, or pull ' +
      'the snapshots (GET /v1/snapshots/{uai}/{profile}).',
  },
  INVALID: {
    status: 400,
    message: 'invalid webhook subscription: {problems}',
    description: 'The subscription does not fit the schema (URL, event types, establishments).',
  },
});
