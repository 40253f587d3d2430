import {
  createHmac,
  createSecretKey,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { WebhooksErrors } from './errors.js';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): the signed content is
 * `${id}.${timestamp}.${body}`, signed with HMAC-SHA256 under the secret's base64-decoded bytes;
 * `webhook-signature` holds space-separated `v1,<base64>` entries (several during a rotation).
 */
export const SECRET_PREFIX = 'whsec_';

export interface WebhookHeaders {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

/** A new signing secret: `whsec_` + 32 random bytes in base64. */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** The key bytes of a `whsec_…` secret (WEBHOOKS_ERR_SECRET_FORMAT when it is not one). */
export function secretKey(secret: string): Buffer {
  const b64 = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw WebhooksErrors.SECRET_FORMAT();
  const key = Buffer.from(b64, 'base64');
  if (key.length < 24) throw WebhooksErrors.SECRET_FORMAT();
  return key;
}

/** True when `secret` is a valid `whsec_…` secret. */
export function isSecret(secret: string): boolean {
  try {
    secretKey(secret);
    return true;
  } catch {
    return false;
  }
}

/** HMAC keys of the secrets in use (a key object is costly to build for every message). */
const keys = new Map<string, KeyObject>();

function hmacKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(secretKey(secret));
    if (keys.size >= 256) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/** The base64 HMAC-SHA256 of `id.timestamp.body`. */
export function signature(secret: string, id: string, timestamp: number, body: string): string {
  return createHmac('sha256', hmacKey(secret))
    .update(`${id}.${timestamp}.${body}`)
    .digest('base64');
}

/**
 * The three headers of a delivery, one `v1,` signature per secret (the current one first; the
 * previous one too while a rotation window is open). `timestamp` is in seconds.
 */
export function sign(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string,
): WebhookHeaders {
  if (secrets.length === 0) throw WebhooksErrors.SECRET_FORMAT();
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((s) => `v1,${signature(s, id, timestamp, body)}`).join(' '),
  };
}

export interface VerifyOptions {
  /** Accepted distance between the timestamp and now, in seconds (default 300). */
  readonly toleranceSeconds?: number;
  /** Now, in milliseconds (tests). */
  readonly now?: number;
}

function header(headers: Record<string, unknown>, name: string): string {
  const raw = headers[name] ?? headers[name.toLowerCase()];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== 'string' || value === '')
    throw WebhooksErrors.SIGNATURE({ reason: `missing ${name}` });
  return value;
}

/**
 * Checks a delivery as a receiver: the timestamp within the tolerance, then at least one `v1`
 * signature matching one of `secrets` (give the old and the new one during your own rotation).
 * `body` must be the raw request body, byte for byte. Resolves to the message id; throws
 * WEBHOOKS_ERR_TIMESTAMP or WEBHOOKS_ERR_SIGNATURE.
 */
export function verify(
  secrets: string | readonly string[],
  headers: Record<string, unknown>,
  body: string | Buffer,
  o: VerifyOptions = {},
): { id: string; timestamp: number } {
  const id = header(headers, 'webhook-id');
  const ts = header(headers, 'webhook-timestamp');
  const list = header(headers, 'webhook-signature');
  if (!/^[0-9]{1,12}$/.test(ts)) throw WebhooksErrors.SIGNATURE({ reason: 'bad timestamp' });
  const timestamp = Number(ts);
  const tolerance = o.toleranceSeconds ?? 300;
  const now = Math.floor((o.now ?? Date.now()) / 1000);
  if (Math.abs(now - timestamp) > tolerance)
    throw WebhooksErrors.TIMESTAMP({ timestamp, toleranceSeconds: tolerance });
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const expected = (typeof secrets === 'string' ? [secrets] : secrets).map((s) =>
    Buffer.from(signature(s, id, timestamp, text), 'base64'),
  );
  for (const entry of list.split(' ')) {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (expected.some((e) => e.length === given.length && timingSafeEqual(e, given)))
      return { id, timestamp };
  }
  throw WebhooksErrors.SIGNATURE({ reason: 'no matching v1 signature' });
}
