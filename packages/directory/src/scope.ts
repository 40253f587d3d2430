import { sql, type RawBuilder } from '@aaf-sync/db';

/**
 * Which establishments a caller may see. `uais: null` is every establishment; otherwise the
 * caller (an establishment-scoped API key) sees and acts on these UAIs only. Every repository of
 * this package takes a scope and applies it **in the query**, never by filtering a page after
 * the fact (a page of someone else's rows must not even be read).
 */
export interface Scope {
  readonly uais: readonly string[] | null;
}

/** The scope of an unrestricted caller (operators, global keys). */
export const UNRESTRICTED: Scope = Object.freeze({ uais: null });

/** True when the scope lets the caller see this UAI. */
export function scopeAllows(scope: Scope, uai: string | null): boolean {
  return scope.uais === null || (uai !== null && scope.uais.includes(uai));
}

/**
 * `exists (…)`: the person with jointure `personJointure` (an SQL column reference) is attached to
 * an establishment of the scope. Relatives are attached to their children's establishments.
 */
export function personInScope(
  scope: Scope,
  personJointure: RawBuilder<unknown>,
): RawBuilder<boolean> {
  if (scope.uais === null) return sql<boolean>`true`;
  return sql<boolean>`exists (
    select 1 from person_structure ps join structure s on s.jointure = ps.structure_jointure
    where ps.person_jointure = ${personJointure} and s.uai = any(${[...scope.uais]}::text[]))`;
}

/** The structure with jointure `structureJointure` (an SQL column reference) is in scope. */
export function structureInScope(
  scope: Scope,
  structureJointure: RawBuilder<unknown>,
): RawBuilder<boolean> {
  if (scope.uais === null) return sql<boolean>`true`;
  return sql<boolean>`exists (
    select 1 from structure s where s.jointure = ${structureJointure}
      and s.uai = any(${[...scope.uais]}::text[]))`;
}

/** The UAI `uai` (an SQL column reference) is one of the scope's. */
export function uaiInScope(scope: Scope, uai: RawBuilder<unknown>): RawBuilder<boolean> {
  if (scope.uais === null) return sql<boolean>`true`;
  return sql<boolean>`${uai} = any(${[...scope.uais]}::text[])`;
}

/** The target aliased `t` serves an establishment of the scope (account status provisioning). */
export function targetInScope(scope: Scope): RawBuilder<boolean> {
  if (scope.uais === null) return sql<boolean>`true`;
  return sql<boolean>`t.uais && ${[...scope.uais]}::text[]`;
}
