/**
 * Who reads a record. `public`: names, profile, establishments and memberships (the scopes
 * `directory:read` and `changes:read`). `personal`: also birth name and date, INE, mail and the
 * contact/schooling details (the scopes `accounts:read` and `admin`).
 */
export type Audience = 'public' | 'personal';

/**
 * Person fields (camelCase, as in views and in `person.*` events) any audience may read. It is an
 * allowlist: a field the engine adds later stays hidden from the public audience until it is
 * listed here.
 */
export const PUBLIC_PERSON_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'jointure',
  'category',
  'profile',
  'level',
  'givenName',
  'sn',
  'civility',
  'primaryStructure',
  'structures',
  'classes',
  'groups',
  'state',
  'departedAt',
  'version',
  'createdAt',
  'updatedAt',
  'reason',
]);

/** True when `field` (a name or a dotted path such as `details.contact.mobile`) is public. */
export function isPublicPersonField(field: string): boolean {
  return PUBLIC_PERSON_FIELDS.has(field);
}
