/**
 * API key scopes. `admin` grants every other scope. Personal fields (birth name and date, INE,
 * mail, contact and schooling details) are returned only to keys with `accounts:read` or `admin`.
 */
export const SCOPES = [
  'changes:read',
  'directory:read',
  'accounts:read',
  'imports:read',
  'imports:write',
  'admin',
] as const;

export type ApiScope = (typeof SCOPES)[number];

export function isApiScope(value: string): value is ApiScope {
  return (SCOPES as readonly string[]).includes(value);
}

/** The scopes whose holders may read personal fields. */
export const PERSONAL_SCOPES: readonly ApiScope[] = ['accounts:read', 'admin'];
