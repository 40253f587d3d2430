import type { Audience, Scope } from '@aaf-sync/directory';
import { ApiErrors } from '../errors.js';
import { PERSONAL_SCOPES, type ApiKeyPrincipal, type ApiScope } from '@aaf-sync/api-keys';

/** Who is calling: an authenticated API key. */
export type Principal = ApiKeyPrincipal;

/** True when the principal holds one of `scopes` (admin holds them all). */
export function hasAnyScope(principal: Principal, scopes: readonly ApiScope[]): boolean {
  return principal.scopes.has('admin') || scopes.some((s) => principal.scopes.has(s));
}

/** Which fields the principal may read (see PERSONAL_SCOPES). */
export function audienceOf(principal: Principal): Audience {
  return hasAnyScope(principal, PERSONAL_SCOPES) ? 'personal' : 'public';
}

/** The establishment scope the repositories apply in their queries. */
export function scopeOf(principal: Principal): Scope {
  return { uais: principal.uais };
}

/** Throws API_ERR_OUT_OF_SCOPE when a request names an establishment outside the key's UAIs. */
export function assertUaiInScope(principal: Principal, uai: string | undefined): void {
  if (uai !== undefined && principal.uais !== null && !principal.uais.includes(uai)) {
    throw ApiErrors.OUT_OF_SCOPE({ uai });
  }
}

/** The audit/log name of a principal. */
export function actorOf(principal: Principal): string {
  return `key:${principal.keyId}`;
}
