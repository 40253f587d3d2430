import type { DeliveryState } from './delivery-state.js';

/** A delivery whose scope token changed: the scopes already holding its schools. */
export interface ScopeChange {
  readonly scope: string;
  readonly holders: readonly string[];
  readonly structures: number;
}

/**
 * After a delivery's EtabEducNat records are planned: when its scope held no structure before
 * (`knewScope` false) and every structure it declares was held for its UAI (UAI_CONFLICT) by a
 * structure of another scope, the delivery is the same schools under another scope token (an
 * académie renamed, files without a token): the scopes holding them; otherwise null.
 */
export function scopeChangeOf(state: DeliveryState, knewScope: boolean): ScopeChange | null {
  if (knewScope || state.uaiConflicts.size === 0) return null;
  const { created, updated, unchanged } = state.references.toJSON().structures;
  if (created + updated + unchanged > 0) return null;
  const holders = new Set<string>();
  for (const holder of state.uaiConflicts.values()) {
    const scope = state.structures.foreignScope(holder);
    if (scope === undefined) return null;
    holders.add(scope);
  }
  return {
    scope: state.fileScope,
    holders: [...holders].sort(),
    structures: state.uaiConflicts.size,
  };
}
