import { access, constants, stat } from 'node:fs/promises';
import type {
  Account,
  ApplyItem,
  ApplyResult,
  DesiredEntry,
  DriverContext,
  DriverFactory,
  DriverTarget,
  TargetDriver,
} from '@aaf-sync/targets';
import type { LdapConnector } from '@aaf-sync/ldap';
import { affectedEstablishments } from './affected-establishments.js';
import { KoxoErrors } from './errors.js';
import { noInitialPasswords, type InitialPasswordsFactory } from './initial-passwords.js';
import { koxoOptions } from './koxo-options.js';
import { checkReadBack } from './read-ad-accounts.js';
import { readBackSettings } from './run-readback.js';
import { regenerateEstablishment, type RegenerateOutcome } from './regenerate.js';

export interface KoxoDriverDeps {
  /**
   * Initial passwords of accounts not yet published, from the driver's context (the shipped
   * drivers plug packages/credentials' `filePasswords` in here); default: none.
   */
  readonly initialPasswords?: InitialPasswordsFactory;
  readonly now?: () => Date;
  /** How `test()` opens the read-back's LDAP session (default: packages/ldap's connectLdapts). */
  readonly connect?: LdapConnector;
}

function resultFor(item: ApplyItem, outcomes: readonly RegenerateOutcome[]): ApplyResult {
  const key = item.entry?.key ?? null;
  for (const o of outcomes) {
    const rejected = item.jointure ? o.rejected.get(item.jointure) : undefined;
    if (rejected) return { personId: item.personId, ok: false, error: rejected };
  }
  for (const o of outcomes) {
    if (o.snapshotStatus === 'held') {
      const error = KoxoErrors.SNAPSHOT_HELD({
        uai: o.uai,
        version: o.version,
        reason: o.holdReason ?? 'shrink',
      }).message;
      return { personId: item.personId, ok: false, error };
    }
  }
  return { personId: item.personId, ok: true, key };
}

/**
 * The `koxo` target kind. The files are complete per establishment, so a batch maps to the set
 * of establishments its accounts touch: each is regenerated once (whatever the number of its
 * accounts in the batch) and published, or held by the shrink guard; each account's result then
 * says whether its establishment's files now reflect it (a held snapshot or a rejected login is
 * a failed result with the reason; the row is retried and the next regeneration is a no-op when
 * nothing changed). `desired` is the account's login and establishments, for the provisioning
 * state; the rows themselves are read from the directory at regeneration.
 */
export function koxoDriver(deps: KoxoDriverDeps = {}): DriverFactory {
  return (target: DriverTarget, context: DriverContext): TargetDriver => {
    const options = koxoOptions(target);
    const regen = {
      db: context.db,
      box: context.box,
      initialPasswords: deps.initialPasswords?.(context) ?? noInitialPasswords,
      ...(deps.now ? { now: deps.now } : {}),
    };
    return {
      desired(account: Account): DesiredEntry | null {
        if (account.state !== 'active') return null;
        if (account.profile === 'relative' && !options.populations.includes('relative')) {
          return null;
        }
        const login = account.logins['koxo'];
        if (!login) return null;
        const uais = account.uais.filter((u) => target.uais.includes(u));
        if (uais.length === 0 && account.profile !== 'relative') return null;
        return { key: login, attributes: { profile: account.profile, uais } };
      },

      async apply(batch: readonly ApplyItem[]): Promise<ApplyResult[]> {
        const byJointure = await affectedEstablishments(
          context.db,
          target.id,
          target.uais,
          batch.map((i) => i.jointure),
        );
        const uais = new Set<string>();
        for (const set of byJointure.values()) for (const u of set) uais.add(u);
        const outcomes = new Map<string, RegenerateOutcome>();
        // Sorted: two workers of one target (should that happen) lock establishments in order.
        for (const uai of [...uais].sort()) {
          outcomes.set(uai, await regenerateEstablishment(regen, target, options, uai));
        }
        const everywhere = [...outcomes.values()];
        return batch.map((item) => {
          const mine = item.jointure ? byJointure.get(item.jointure) : byJointure.get('');
          const relevant = mine ? [...mine].map((u) => outcomes.get(u)!) : [];
          return resultFor(item, item.jointure ? relevant : everywhere);
        });
      },

      async test() {
        try {
          if (!(await stat(options.exportDir)).isDirectory()) throw new Error('not a folder');
          await access(options.exportDir, constants.W_OK);
        } catch (err) {
          return {
            ok: false,
            detail: `export folder ${options.exportDir}: ${(err as Error).message}`,
          };
        }
        const folder = `export folder ${options.exportDir} is writable`;
        if (!options.readBack) return { ok: true, detail: `${folder}; no read-back configured` };
        try {
          const { options: rb, bindPassword } = readBackSettings(target);
          if (!(await checkReadBack(rb, bindPassword, deps.connect))) {
            return { ok: false, detail: `${folder}; read-back: no entry ${rb.baseDn}` };
          }
          return { ok: true, detail: `${folder}; read-back bind to ${rb.url} works` };
        } catch (err) {
          return { ok: false, detail: `${folder}; read-back: ${(err as Error).message}` };
        }
      },
    };
  };
}
