import { LdapErrors } from './errors.js';

/** The LDAP result codes (RFC 4511 §4.1.9) the drivers act on. */
export const LDAP_RESULT = {
  NO_SUCH_ATTRIBUTE: 16,
  CONSTRAINT_VIOLATION: 19,
  ATTRIBUTE_OR_VALUE_EXISTS: 20,
  NO_SUCH_OBJECT: 32,
  INVALID_CREDENTIALS: 49,
  UNWILLING_TO_PERFORM: 53,
  ALREADY_EXISTS: 68,
} as const;

/** True when `err` is a server's refusal (`LDAP_ERR_REJECTED`) with one of the result `codes`. */
export function refused(err: unknown, ...codes: number[]): boolean {
  return LdapErrors.REJECTED.is(err) && codes.includes(Number(err.details.resultCode));
}
