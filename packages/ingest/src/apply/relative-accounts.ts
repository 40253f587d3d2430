import { sql, type Executor } from '@aaf-sync/db';
import { DEFAULT_INGEST_SETTINGS } from '../settings.js';
import type { ApplyContext } from './apply-context.js';

/**
 * Legal-responsibility codes that give a relative an account (`ENTElevePersRelEleve` field 4):
 * 1 legal representative, 2 personne en charge by default (`RELATIVE_ACCOUNT_LEGAL_CODES`).
 */
export function accountCodes(ctx: ApplyContext): number[] {
  return [
    ...(ctx.deps.settings.relativeAccountLegalCodes ??
      DEFAULT_INGEST_SETTINGS.relativeAccountLegalCodes ??
      []),
  ];
}

/** Whether each of these persons holds an account now (absent persons are missing). */
export async function accountsOf(
  db: Executor,
  jointures: readonly string[],
): Promise<Map<string, boolean>> {
  if (jointures.length === 0) return new Map();
  const { rows } = await sql<{ jointure: string; has_account: boolean }>`
    select jointure, has_account from person where jointure = any(${[...jointures]}::text[])`.execute(
    db,
  );
  return new Map(rows.map((r) => [r.jointure, r.has_account]));
}

/**
 * Identifiers of relatives who gain an account, allocated at that moment (the allocation is
 * idempotent: a relative who held an account before keeps its reserved identifiers). `fresh`:
 * all of them were created by this batch (they hold none: nothing to read first), in a first
 * import (the identifier table started empty: values checked in memory, written with COPY).
 */
export async function allocateForAccounts(
  ctx: ApplyContext,
  persons: readonly { personId: number; givenName: string; sn: string }[],
  options: { readonly fresh?: boolean } = {},
): Promise<Map<number, Record<string, string>>> {
  if (!ctx.identifiers || persons.length === 0) return new Map();
  const fresh = options.fresh === true;
  const allocated = await ctx.identifiers.allocate(persons, {
    fresh,
    copy: fresh && ctx.firstImport,
  });
  for (const ids of allocated.values()) ctx.tally.identifiers += Object.keys(ids).length;
  return allocated;
}
