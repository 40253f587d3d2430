import type { Account, DesiredEntry, DriverTarget, HeldEntry, TargetDriver } from './driver.js';
import type {
  ReconcileAction,
  ReconcileCounts,
  ReconcileDifference,
  ReconcileReport,
} from './reconcile-target.js';

/** A provisioning row as the full reconcile reads it. */
export interface RowState {
  person_id: number;
  status: 'pending' | 'applied' | 'failed' | 'excluded';
  target_key: string | null;
  present: boolean;
}

/** A mark: the row goes pending; `present`/`key` correct what the target was found to hold. */
export interface Mark {
  p: number;
  pr: boolean | null;
  k: string | null;
}

/** What the comparison found for one account. */
export type Verdict =
  | { readonly kind: 'pending' | 'inSync' | 'none' }
  | {
      readonly kind: 'differs';
      readonly action: ReconcileAction;
      readonly reason: string;
      readonly key: string | null;
      readonly mark: Mark;
    };

export const zero = (): ReconcileCounts => ({
  inSync: 0,
  toCreate: 0,
  toUpdate: 0,
  toDisable: 0,
  pending: 0,
  orphans: 0,
});

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const sameAttributes = (held: HeldEntry, entry: DesiredEntry) =>
  held.attributes === undefined || canonical(held.attributes) === canonical(entry.attributes);

/** The entry the target should hold for the account (null: none, or not in the target). */
export function desiredOf(
  driver: TargetDriver,
  target: DriverTarget,
  account: Account | undefined,
): DesiredEntry | null {
  const inTarget =
    account !== undefined &&
    account.state === 'active' &&
    account.uais.some((u) => target.uais.includes(u));
  return inTarget ? driver.desired(account) : null;
}

/** The first of the account's establishments in the scope (they come sorted), if any. */
export const firstIn = (scope: readonly string[], account: Account | undefined): string | null =>
  account?.uais.find((u) => scope.includes(u)) ?? null;

/** Where an account is counted: its first establishment in scope, else where the target holds it. */
export const placeOf = (
  scope: readonly string[],
  first: string | null,
  held: HeldEntry | undefined,
): string | null =>
  first ?? (held && held.uai !== null && scope.includes(held.uai) ? held.uai : null);

/**
 * The comparison of one account: its provisioning row, the entry the directory wants (null:
 * none) and the entry the target holds (when the driver listed them: `inventory`).
 */
export function judge(
  driver: TargetDriver,
  inventory: boolean,
  hasAccount: boolean,
  row: RowState | undefined,
  entry: DesiredEntry | null,
  heldEntry: HeldEntry | undefined,
): Verdict {
  if (row && (row.status === 'pending' || row.status === 'failed')) return { kind: 'pending' };
  const differs = (action: ReconcileAction, reason: string, mark: Mark): Verdict => ({
    kind: 'differs',
    action,
    reason,
    key: entry?.key ?? row?.target_key ?? heldEntry?.key ?? null,
    mark,
  });
  const id = 0; // filled by the tally (the verdict does not know the person)
  const plain: Mark = { p: id, pr: null, k: null };
  if (entry) {
    if (!row || !row.present) {
      return heldEntry
        ? differs('update', 'held by the target, unknown to the provisioning state', {
            p: id,
            pr: true,
            k: heldEntry.key,
          })
        : differs('create', 'missing', plain);
    }
    if (row.target_key !== entry.key) {
      return differs('update', `key ${row.target_key ?? '(none)'} → ${entry.key}`, plain);
    }
    if (inventory && !heldEntry) {
      return differs('create', 'absent from the target', { p: id, pr: false, k: null });
    }
    if (
      heldEntry &&
      !(driver.inSync ? driver.inSync(heldEntry, entry) : sameAttributes(heldEntry, entry))
    ) {
      return differs('update', 'attributes differ', plain);
    }
    return { kind: 'inSync' };
  }
  if (row?.present || heldEntry) {
    const reason = hasAccount ? 'out of scope' : 'no account in the directory';
    return differs(
      'disable',
      reason,
      row?.present ? plain : { p: id, pr: true, k: heldEntry!.key },
    );
  }
  return { kind: 'none' }; // nothing wanted, nothing held
}

/** The counts per establishment, the differences and the marks of a reconcile as it goes. */
export class Tally {
  readonly #counts: Map<string | null, ReconcileCounts>;
  readonly #differences: ReconcileDifference[] = [];
  readonly #marks: Mark[] = [];

  constructor(readonly scope: readonly string[]) {
    this.#counts = new Map(scope.map((u) => [u, zero()]));
  }

  #countOf(u: string | null): ReconcileCounts {
    let c = this.#counts.get(u);
    if (!c) this.#counts.set(u, (c = zero()));
    return c;
  }

  add(personId: number, jointure: string | null, at: string | null, verdict: Verdict): void {
    if (verdict.kind === 'none') return;
    const c = this.#countOf(at);
    if (verdict.kind === 'pending') c.pending += 1;
    else if (verdict.kind === 'inSync') c.inSync += 1;
    else if (verdict.kind === 'differs') {
      if (verdict.action === 'create') c.toCreate += 1;
      else if (verdict.action === 'update') c.toUpdate += 1;
      else c.toDisable += 1;
      const { action, reason, key } = verdict;
      this.#differences.push({ personId, jointure, uai: at, action, key, reason });
      this.#marks.push({ ...verdict.mark, p: personId });
    }
  }

  /** The report (differences by person, establishments by UAI, then those that left). */
  report(
    target: string,
    inventory: boolean,
    orphans: readonly HeldEntry[],
  ): { report: Omit<ReconcileReport, 'dryRun' | 'marked'>; marks: Mark[] } {
    for (const o of orphans) {
      this.#countOf(o.uai !== null && this.scope.includes(o.uai) ? o.uai : null).orphans += 1;
    }
    const establishments = [...this.#counts.entries()]
      .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
      .map(([u, c]) => ({ uai: u, ...c }));
    const totals = zero();
    for (const e of establishments) {
      for (const k of Object.keys(totals) as (keyof ReconcileCounts)[]) totals[k] += e[k];
    }
    return {
      report: {
        target,
        uais: this.scope,
        inventory,
        establishments,
        totals,
        differences: this.#differences.sort((a, b) => a.personId - b.personId),
        // A driver's digest is its own business: an orphan is reported by key and establishment.
        orphans: orphans.map((o) => (o.digest === undefined ? o : { key: o.key, uai: o.uai })),
      },
      marks: this.#marks,
    };
  }
}
