import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const SCHEME = '{SSHA}';
const DIGEST = 20;

/**
 * The `{SSHA}` form OpenLDAP's slapd verifies and `slappasswd -h {SSHA}` produces:
 * `{SSHA}` + base64(sha1(password ‖ salt) ‖ salt). The salt is 8 random bytes (slapd accepts
 * any length).
 */
export function sshaHash(password: string, salt: Buffer = randomBytes(8)): string {
  const digest = createHash('sha1').update(password, 'utf8').update(salt).digest();
  return `${SCHEME}${Buffer.concat([digest, salt]).toString('base64')}`;
}

/** True when `hash` is an `{SSHA}` value of `password` (constant-time comparison). */
export function sshaVerify(password: string, hash: string): boolean {
  if (!hash.startsWith(SCHEME)) return false;
  const raw = Buffer.from(hash.slice(SCHEME.length), 'base64');
  if (raw.length <= DIGEST) return false;
  const salt = raw.subarray(DIGEST);
  const digest = createHash('sha1').update(password, 'utf8').update(salt).digest();
  return timingSafeEqual(digest, raw.subarray(0, DIGEST));
}
