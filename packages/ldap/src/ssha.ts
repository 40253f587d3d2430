import { createHash, randomBytes } from 'node:crypto';

/** `{SSHA}` of a password (salted SHA-1, 8 random bytes of salt), as OpenLDAP checks it. */
export function sshaHash(password: string, salt: Buffer = randomBytes(8)): string {
  const digest = createHash('sha1').update(password, 'utf8').update(salt).digest();
  return `{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`;
}
