import type { NamespaceRule } from './namespace-rules.js';
import { normalizeNamePart } from './normalize-name-part.js';

/** Initial used when the given name has no letter at all (empty, digits, symbols). */
export const FALLBACK_INITIAL = 'x';
/** Name part used when the surname has no letter at all. */
export const FALLBACK_NAME = 'inconnu';

/** The two normalised parts every format is made of, fallbacks applied. */
export interface NameParts {
  readonly initial: string;
  readonly name: string;
}

/** Normalises a person's names once (allocation builds one base per namespace from them). */
export function nameParts(givenName: string, sn: string): NameParts {
  return {
    initial: normalizeNamePart(givenName).charAt(0) || FALLBACK_INITIAL,
    name: normalizeNamePart(sn) || FALLBACK_NAME,
  };
}

/** The bare form of `parts` in the namespace's format, truncated to its maximum length. */
export function baseFromParts(rule: NamespaceRule, parts: NameParts): string {
  const head = rule.format === 'p.nom' ? `${parts.initial}.` : parts.initial;
  return (head + parts.name).slice(0, rule.maxLength);
}

/**
 * The bare form of a person's identifier in a namespace, truncated to the namespace's maximum
 * length: the first letter of the (normalised) given names, a dot for `p.nom`, the normalised
 * surname. It is also the homonym family key: the counter of `(namespace, base)` numbers the
 * holders. Never empty, never starts or ends with a dot: a part without letters falls back to
 * `FALLBACK_INITIAL` / `FALLBACK_NAME` (`('', 'Martin')` → `x.martin`, `('Jean', '42')` →
 * `j.inconnu`).
 *
 * @example
 * identifierBase(educonnect, 'Jean-Pierre', "D'Arc") // 'j.darc'
 * identifierBase(koxo, 'Éloïse', 'de la Fontaine')   // 'edelafontaine'
 */
export function identifierBase(rule: NamespaceRule, givenName: string, sn: string): string {
  return baseFromParts(rule, nameParts(givenName, sn));
}
