import type { Executor } from '@aaf-sync/db';
import type { SecretBox } from '@aaf-sync/targets';
import {
  initialPasswords,
  markPasswordsSet,
  pendingPasswords,
  type PendingPassword,
} from './credential-store.js';

/**
 * What a password-capable driver (Scribe) asks during `apply`, bound to its target:
 * - `forCreation(accounts)`: the password of each account it is about to create;
 * - `pending(personIds)`: resets waiting to be set on accounts it already holds;
 * - `markSet(personIds)`: after the target accepted them (only then may a sheet list them).
 * The driver hashes (`sshaHash`) or sends them as the server wants; it never logs them.
 */
export interface PasswordPort {
  forCreation(
    accounts: readonly { personId: number; login: string }[],
  ): Promise<Map<number, string>>;
  pending(personIds: readonly number[]): Promise<Map<number, PendingPassword>>;
  markSet(personIds: readonly number[]): Promise<number>;
}

export function createPasswordPort(
  db: Executor,
  box: SecretBox,
  target: { id: number; name: string },
  options: { length?: number } = {},
): PasswordPort {
  return {
    forCreation: (accounts) => initialPasswords(db, box, target, accounts, options),
    pending: (personIds) => pendingPasswords(db, box, target, personIds),
    markSet: (personIds) => markPasswordsSet(db, target.id, personIds),
  };
}
