import { sql, type Executor } from '@aaf-sync/db';
import type { DriverContext, DriverTarget } from '@aaf-sync/targets';
import {
  initialPasswords,
  issueCredential,
  markPasswordsSet,
  pendingPasswords,
} from './credential-store.js';
import { MIN_PASSWORD_LENGTH } from './password-generator.js';
import { PASSWORD_TARGETS } from './password-targets.js';

/** An account a driver wrote in a batch (the Scribe driver's `WrittenAccount`). */
export interface WrittenAccount {
  readonly personId: number;
  readonly key: string;
  /** True when the batch created the entry: an initial password is due. */
  readonly created: boolean;
}

/**
 * The password source a driver plugs in (the Scribe driver's `PasswordPort` shape, without
 * depending on it): `passwordsFor` gives the clear passwords to set now — an initial one for
 * each entry just created (its pending one if a reset or a failed creation left one), and the
 * pending reset of each other written account —; `applied` marks those the server accepted
 * (`set`: a sheet may list them). Logins are the primary identifiers of the kind's namespace.
 */
export interface DriverPasswords {
  passwordsFor(
    target: DriverTarget,
    accounts: readonly WrittenAccount[],
  ): Promise<ReadonlyMap<number, string>>;
  applied(target: DriverTarget, personIds: readonly number[]): Promise<void>;
  /**
   * The target refused the account's password (its password policy): a new one of at least
   * `minLength` characters (and of the configured length) replaces it, pending, for the
   * account's retry. Resolves to its length (0 when the account has no login to issue for).
   */
  reissue(target: DriverTarget, personId: number, minLength: number): Promise<number>;
}

async function loginsOf(
  db: Executor,
  namespace: string,
  personIds: readonly number[],
): Promise<Map<number, string>> {
  if (personIds.length === 0) return new Map();
  const rows = await sql<{ person_id: number; value: string }>`
    select person_id, value from identifier
    where namespace = ${namespace} and status = 'primary'
      and person_id = any(${sql.val([...personIds])}::bigint[])
  `.execute(db);
  return new Map(rows.rows.map((r) => [Number(r.person_id), r.value]));
}

export function driverPasswords(
  context: DriverContext,
  options: { length?: number } = {},
): DriverPasswords {
  const { db, box } = context;
  return {
    async passwordsFor(target, accounts) {
      const namespace = PASSWORD_TARGETS[target.kind]?.namespace;
      const out = new Map<number, string>();
      if (namespace === undefined || accounts.length === 0) return out;
      const ref = { id: target.id, name: target.name };
      const created = accounts.filter((a) => a.created).map((a) => a.personId);
      const logins = await loginsOf(db, namespace, created);
      const initial = await initialPasswords(
        db,
        box,
        ref,
        created
          .filter((id) => logins.has(id))
          .map((id) => ({ personId: id, login: logins.get(id)! })),
        options,
      );
      for (const [id, password] of initial) out.set(id, password);
      const others = accounts.filter((a) => !a.created).map((a) => a.personId);
      const resets = await pendingPasswords(db, box, ref, others, { skipUnreadable: true });
      for (const [id, p] of resets) out.set(id, p.password);
      return out;
    },
    async applied(target, personIds) {
      await markPasswordsSet(db, target.id, personIds);
    },
    async reissue(target, personId, minLength) {
      const namespace = PASSWORD_TARGETS[target.kind]?.namespace;
      const login =
        namespace === undefined
          ? undefined
          : (await loginsOf(db, namespace, [personId])).get(personId);
      if (login === undefined) return 0;
      const length = Math.min(256, Math.max(options.length ?? MIN_PASSWORD_LENGTH, minLength));
      await issueCredential(db, box, {
        targetId: target.id,
        personId,
        login,
        reason: 'initial',
        actor: `targets:${target.name}`,
        length,
      });
      return length;
    },
  };
}
