import { sql, type CredentialReason, type Executor } from '@aaf-sync/db';
import type { SecretBox } from '@aaf-sync/targets';
import { CredentialsErrors } from './errors.js';
import { generatePassword } from './password-generator.js';
import { openPassword, sealPassword } from './sealed-password.js';

export interface IssueInput {
  readonly targetId: number;
  readonly personId: number;
  readonly login: string;
  readonly reason: CredentialReason;
  /** Who asks (`key:<id>`, `cli:<user>`, `targets:<name>` for the driver at creation). */
  readonly actor: string;
  readonly length?: number;
}

/**
 * Generates a new initial password, seals it and stores it `pending` for (target, person),
 * replacing whatever was stored before for that account on that target. Resolves to the clear
 * password (for the caller that sets it on the target; never log it).
 */
export async function issueCredential(
  db: Executor,
  box: SecretBox,
  input: IssueInput,
): Promise<string> {
  const password = generatePassword(input.length);
  const sealed = sealPassword(box, input.targetId, input.personId, password);
  await db
    .insertInto('credential')
    .values({
      target_id: input.targetId,
      person_id: input.personId,
      login: input.login,
      reason: input.reason,
      state: 'pending',
      key_id: sealed.keyId,
      ciphertext: sealed.ciphertext,
      created_by: input.actor,
    })
    .onConflict((oc) =>
      oc.columns(['target_id', 'person_id']).doUpdateSet({
        login: input.login,
        reason: input.reason,
        state: 'pending',
        key_id: sealed.keyId,
        ciphertext: sealed.ciphertext,
        created_at: sql`now()`,
        created_by: input.actor,
        set_at: null,
        retrieved_at: null,
        retrieved_by: null,
        purged_at: null,
      }),
    )
    .execute();
  return password;
}

export interface PendingPassword {
  readonly login: string;
  readonly password: string;
  readonly reason: CredentialReason;
}

/**
 * The passwords waiting to be set on a target (`pending`: issued at creation or by a reset),
 * opened, by person id. Persons without one are absent. For the driver's `apply`. A copy that
 * does not open throws CREDENTIALS_ERR_UNREADABLE — or, with `skipUnreadable` (the drivers'
 * path: one bad row must not hold the whole target back), is left out.
 */
export async function pendingPasswords(
  db: Executor,
  box: SecretBox,
  target: { id: number; name: string },
  personIds: readonly number[],
  options: { skipUnreadable?: boolean } = {},
): Promise<Map<number, PendingPassword>> {
  const out = new Map<number, PendingPassword>();
  if (personIds.length === 0) return out;
  const rows = await db
    .selectFrom('credential')
    .select(['person_id', 'login', 'reason', 'key_id', 'ciphertext'])
    .where('target_id', '=', target.id)
    .where('state', '=', 'pending')
    .where('person_id', 'in', [...personIds])
    .execute();
  for (const r of rows) {
    if (r.key_id === null || r.ciphertext === null) continue;
    const personId = Number(r.person_id);
    let password: string;
    try {
      password = openPassword(box, {
        targetId: target.id,
        targetName: target.name,
        personId,
        sealed: { keyId: r.key_id, ciphertext: r.ciphertext },
      });
    } catch (err) {
      if (options.skipUnreadable && CredentialsErrors.UNREADABLE.is(err)) continue;
      throw err;
    }
    out.set(personId, { login: r.login, password, reason: r.reason });
  }
  return out;
}

/**
 * The password to give each account the target is about to create: its pending one when it has
 * one (a reset before creation, or a creation that failed after the password was issued), else a
 * new initial one (stored pending; also when the pending copy no longer opens). Resolves to
 * clear passwords by person id.
 */
export async function initialPasswords(
  db: Executor,
  box: SecretBox,
  target: { id: number; name: string },
  accounts: readonly { personId: number; login: string }[],
  options: { length?: number } = {},
): Promise<Map<number, string>> {
  const pending = await pendingPasswords(
    db,
    box,
    target,
    accounts.map((a) => a.personId),
    { skipUnreadable: true },
  );
  const out = new Map<number, string>();
  for (const a of accounts) {
    const known = pending.get(a.personId);
    if (known && known.login === a.login) {
      out.set(a.personId, known.password);
      continue;
    }
    const password = await issueCredential(db, box, {
      targetId: target.id,
      personId: a.personId,
      login: a.login,
      reason: known?.reason ?? 'initial',
      actor: `targets:${target.name}`,
      ...(options.length !== undefined ? { length: options.length } : {}),
    });
    out.set(a.personId, password);
  }
  return out;
}

/** The target now holds these pending passwords: `pending` → `set`. Resolves to rows changed. */
export async function markPasswordsSet(
  db: Executor,
  targetId: number,
  personIds: readonly number[],
): Promise<number> {
  if (personIds.length === 0) return 0;
  const result = await db
    .updateTable('credential')
    .set({ state: 'set', set_at: sql`now()` })
    .where('target_id', '=', targetId)
    .where('state', '=', 'pending')
    .where('person_id', 'in', [...personIds])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
