import type { ApplyItem, DriverFactory, DriverTarget, HeldEntry } from './driver.js';
import { TargetsErrors } from './errors.js';

/** One application the no-op driver was asked for. */
export interface NoopApplication extends ApplyItem {
  readonly target: string;
}

/**
 * What the no-op driver records, and switches to simulate trouble: a target name in `down`
 * makes its whole batches fail (unavailable), a jointure in `failing` fails that account only.
 */
export interface NoopLedger {
  readonly applied: NoopApplication[];
  readonly down: Set<string>;
  readonly failing: Set<string>;
}

export function createNoopLedger(): NoopLedger {
  return { applied: [], down: new Set(), failing: new Set() };
}

/**
 * The `noop` kind: desires a plain entry keyed by the account's first login (scribe first),
 * applies nothing, and records every item in `ledger` so tests can assert exactly-once
 * application without LDAP. Its `inventory` answers from the ledger (the last application of
 * each account), only when the caller gave the ledger: push or remove applications to simulate
 * drift on the target side.
 */
export function noopDriver(given?: NoopLedger): DriverFactory {
  const ledger = given ?? createNoopLedger();
  return (target: DriverTarget) => ({
    desired(account) {
      const key = account.logins.scribe ?? Object.values(account.logins).sort()[0];
      if (key === undefined) return null;
      return {
        key,
        attributes: {
          jointure: account.jointure,
          givenName: account.givenName,
          sn: account.sn,
          profile: account.profile,
          uais: account.uais.filter((u) => target.uais.includes(u)),
        },
      };
    },
    async apply(batch) {
      if (ledger.down.has(target.name)) {
        throw TargetsErrors.UNAVAILABLE({ name: target.name, reason: 'down (noop ledger)' });
      }
      return batch.map((item) => {
        if (item.jointure !== null && ledger.failing.has(item.jointure)) {
          return { personId: item.personId, ok: false as const, error: 'refused (noop ledger)' };
        }
        ledger.applied.push({ ...item, target: target.name });
        return { personId: item.personId, ok: true as const, key: item.entry?.key ?? null };
      });
    },
    // What the target holds: the last application of each account that left an entry. Only
    // with a ledger given by the caller: a process-local ledger knows nothing of what other
    // processes applied (the reconcile then compares with the provisioning state only).
    inventory:
      given &&
      (async (uais: readonly string[]) => {
        const last = new Map<string, NoopApplication>();
        for (const a of ledger.applied) {
          if (a.target === target.name) last.set(a.jointure ?? `#${a.personId}`, a);
        }
        const held: HeldEntry[] = [];
        for (const a of last.values()) {
          if (a.entry === null) continue;
          const entryUais = a.entry.attributes.uais;
          const uai = (Array.isArray(entryUais) ? entryUais : [entryUais]).find(
            (u): u is string => typeof u === 'string' && uais.includes(u),
          );
          if (uai === undefined) continue;
          held.push({ key: a.entry.key, uai, attributes: a.entry.attributes });
        }
        return held;
      }),
    async test() {
      const down = ledger.down.has(target.name);
      return { ok: !down, detail: down ? 'down (noop ledger)' : 'noop target: nothing to reach' };
    },
  });
}
