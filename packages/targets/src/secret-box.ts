import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { TargetsErrors } from './errors.js';

/** Ciphertext of a target's secrets, with the id of the key that sealed it. */
export interface SealedSecrets {
  readonly keyId: string;
  /** iv (12 bytes) || auth tag (16 bytes) || AES-256-GCM ciphertext of the JSON. */
  readonly ciphertext: Buffer;
}

export interface SecretBox {
  /** Id of the current key (new secrets are sealed with it). */
  readonly keyId: string;
  seal(secrets: Readonly<Record<string, unknown>>, context: string): SealedSecrets;
  open(sealed: SealedSecrets, context: string, targetName: string): Record<string, unknown>;
}

const IV = 12;
const TAG = 16;

/** A key's public id: the first 12 hex digits of its sha256 (names the key, reveals nothing). */
export function secretKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

function decodeKey(base64: string, what: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new TypeError(`${what} must be 32 bytes in base64`);
  return key;
}

/**
 * AES-256-GCM for target secrets. `current` seals; `previous` keys only open (rotation: set a
 * new TARGET_SECRETS_KEY, move the old one to TARGET_SECRETS_PREVIOUS_KEYS, and secrets are
 * sealed again with the new key whenever they are written). `context` (the target kind) is bound
 * as additional data, so a ciphertext cannot be moved to a target of another kind.
 */
export function createSecretBox(current: string, previous: readonly string[] = []): SecretBox {
  const sealKey = decodeKey(current, 'TARGET_SECRETS_KEY');
  const keys = new Map<string, Buffer>();
  for (const k of previous) {
    const key = decodeKey(k, 'TARGET_SECRETS_PREVIOUS_KEYS entry');
    keys.set(secretKeyId(key), key);
  }
  const keyId = secretKeyId(sealKey);
  keys.set(keyId, sealKey);
  return {
    keyId,
    seal(secrets, context) {
      const iv = randomBytes(IV);
      const cipher = createCipheriv('aes-256-gcm', sealKey, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
      return { keyId, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]) };
    },
    open(sealed, context, targetName) {
      const key = keys.get(sealed.keyId);
      if (!key) throw TargetsErrors.SECRETS_KEY_UNKNOWN({ name: targetName, keyId: sealed.keyId });
      try {
        const data = sealed.ciphertext;
        const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV));
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(data.subarray(IV, IV + TAG));
        const clear = Buffer.concat([decipher.update(data.subarray(IV + TAG)), decipher.final()]);
        return JSON.parse(clear.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw TargetsErrors.SECRETS_UNREADABLE({ name: targetName, keyId: sealed.keyId });
      }
    },
  };
}
