import { IdentifierErrors } from './errors.js';
import type { NamespaceRule } from './namespace-rules.js';

/**
 * Why `value` cannot be used in the namespace, or `null` when it can. Checks, in order: empty,
 * length, forbidden characters (named), uppercase, shape, reserved names. Uniqueness is checked
 * by the database, not here.
 */
export function identifierProblem(rule: NamespaceRule, value: string): string | null {
  if (value.length === 0) return 'it is empty';
  if (value.length > rule.maxLength) {
    return `it has ${value.length} characters, the maximum is ${rule.maxLength}`;
  }
  const forbidden = rule.forbidden.exec(value);
  if (forbidden) return `it contains the forbidden character ${JSON.stringify(forbidden[0])}`;
  if (value !== value.toLowerCase()) return 'it contains uppercase letters';
  if (!rule.pattern.test(value)) return `expected ${rule.patternText}`;
  if (rule.reserved.has(value)) return 'it is a reserved name';
  return null;
}

/**
 * Throws `IDENTIFIERS_ERR_INVALID_VALUE` (with the reason) when an administrator-chosen value
 * breaks the namespace rules. Used by `setAlias` and `replaceIdentifier`; the API can call it
 * to validate input before opening a transaction.
 */
export function assertValidIdentifier(rule: NamespaceRule, value: string): void {
  const reason = identifierProblem(rule, value);
  if (reason !== null) {
    throw IdentifierErrors.INVALID_VALUE({ value, namespace: rule.name, reason });
  }
}
