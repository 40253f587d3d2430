import { IdentifierErrors } from './errors.js';
import type { NamespaceRule } from './namespace-rules.js';

/**
 * The value of the `index`-th holder of `base`: index 0 is the bare form, index k ≥ 1 carries
 * the number `numberStart + k - 1`. The name part is cut so that the whole value fits
 * `maxLength`; the number is never cut (`koxo`, base `jmartindupontlefebvr`, index 12 →
 * `jmartindupontlefeb12`). Bases have no digits, so the trailing digits of a value are exactly
 * its number and two indexes of one base never give the same value.
 */
export function formatIdentifier(rule: NamespaceRule, base: string, index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw IdentifierErrors.INVALID_RULE({
      namespace: rule.name,
      reason: `homonym index must be a non-negative integer, got ${index}`,
    });
  }
  if (index === 0) return base.slice(0, rule.maxLength);
  const number = String(rule.numberStart + index - 1);
  if (number.length >= rule.maxLength) {
    throw IdentifierErrors.NUMBER_TOO_LONG({
      number,
      maxLength: rule.maxLength,
      namespace: rule.name,
    });
  }
  return base.slice(0, rule.maxLength - number.length) + number;
}
