import type { PersonRecord, Warning } from '@aaf-sync/aaf';
import { sql } from '@aaf-sync/db';
import type { DeliveryState } from './delivery-state.js';

/**
 * Académie scopes. Jointures are unique within an académie only; until identity is
 * `(scope, jointure)` everywhere, a record of one scope whose jointure a person or structure of
 * another scope holds (active or departed) is rejected, never merged: `JOINTURE_SCOPE_CONFLICT`.
 */
export function scopeConflictMessage(
  entity: string,
  jointure: string,
  held: { scope: string; state?: string },
  fileScope: string,
): string {
  const state = held.state === undefined ? '' : `${held.state} `;
  return (
    `${entity} ${jointure} of scope ${fileScope} is held by a ${state}${entity} of scope ` +
    `${held.scope}: not merged (jointures are unique within an académie only)`
  );
}

/**
 * The relatives a pupil names that are persons of another scope → their scope. Such a link is
 * left out (a warning): a pupil of one académie never gives an account to another's relative.
 */
export async function foreignRelatives(
  state: DeliveryState,
  records: readonly (PersonRecord | null)[],
): Promise<Map<string, string>> {
  const wanted = new Set<string>();
  for (const r of records)
    if (r?.category === 'pupil') for (const x of r.relatives) wanted.add(x.jointure);
  if (wanted.size === 0 || state.noPersons) return new Map();
  const { rows } = await sql<{ jointure: string; scope: string }>`
    select jointure, scope from person
    where jointure = any(${[...wanted]}::text[]) and scope <> ${state.fileScope}`.execute(
    state.deps.db,
  );
  return new Map(rows.map((r) => [r.jointure, r.scope]));
}

/** The pupil record without its links to relatives of another scope, and their warnings. */
export function withoutForeignRelatives(
  state: DeliveryState,
  record: PersonRecord,
  foreign: ReadonlyMap<string, string>,
): { record: PersonRecord; warnings: Warning[] } {
  const dropped = record.relatives.filter((r) => foreign.has(r.jointure));
  if (dropped.length === 0) return { record, warnings: [] };
  return {
    record: { ...record, relatives: record.relatives.filter((r) => !foreign.has(r.jointure)) },
    warnings: dropped.map((r) => ({
      code: 'JOINTURE_SCOPE_CONFLICT' as const,
      message:
        `pupil ${record.jointure} names relative ${r.jointure}, a person of scope ` +
        `${foreign.get(r.jointure)!} (this file's scope is ${state.fileScope}): link left out`,
      attribute: 'ENTElevePersRelEleve',
      value: r.jointure,
    })),
  };
}
