import type { SealedSecrets, SecretBox } from '@aaf-sync/targets';
import { CredentialsErrors } from './errors.js';

/** Additional data bound to a sealed password: it opens only in its own row. */
function aad(targetId: number, personId: number): string {
  return `credential:${targetId}:${personId}`;
}

/** Seals a clear password with the targets' secret box (AES-256-GCM). */
export function sealPassword(
  box: SecretBox,
  targetId: number,
  personId: number,
  password: string,
): SealedSecrets {
  return box.seal({ password }, aad(targetId, personId));
}

/** Opens a sealed password of row (target, person); CREDENTIALS_ERR_UNREADABLE when it cannot. */
export function openPassword(
  box: SecretBox,
  row: { targetId: number; targetName: string; personId: number; sealed: SealedSecrets },
): string {
  try {
    const { password } = box.open(row.sealed, aad(row.targetId, row.personId), row.targetName);
    if (typeof password !== 'string') throw new TypeError('no password in the sealed copy');
    return password;
  } catch (cause) {
    throw CredentialsErrors.UNREADABLE(
      { personId: row.personId, target: row.targetName },
      { cause },
    );
  }
}
