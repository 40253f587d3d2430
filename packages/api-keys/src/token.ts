import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every key starts with this, so secret scanners can recognise a leaked key. */
export const KEY_PREFIX = 'aafk_';
const KEY_PATTERN = /^aafk_([a-z0-9]{8,32})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedKey {
  readonly id: string;
  /** The whole key to give to the client, shown once: `aafk_<id>_<secret>`. */
  readonly token: string;
  /** sha256 of the secret: what is stored. */
  readonly secretSha256: Buffer;
}

/**
 * sha256 of a key secret. The secret is 32 random bytes, so a fast hash is enough: there is no
 * low-entropy password to protect from guessing (a stretched hash would only slow every request).
 */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** A new key: a random public id (12 hex chars) and a random 32-byte secret. */
export function generateApiKey(): GeneratedKey {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `${KEY_PREFIX}${id}_${secret}`, secretSha256: hashSecret(secret) };
}

/** Splits a presented key into id and secret; null when it is not shaped like one of ours. */
export function parseApiKey(token: string): { id: string; secret: string } | null {
  const match = KEY_PATTERN.exec(token);
  return match ? { id: match[1]!, secret: match[2]! } : null;
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(secret: string, stored: Buffer): boolean {
  const presented = hashSecret(secret);
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}
