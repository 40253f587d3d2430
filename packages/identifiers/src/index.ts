export { IdentifierErrors } from './errors.js';
export {
  checkRule,
  NAMESPACE_PRESETS,
  namespaceRules,
  ruleFor,
  type IdentifierFormat,
  type NamespaceRule,
} from './namespace-rules.js';
export { LETTER_MAP, normalizeNamePart } from './normalize-name-part.js';
export { FALLBACK_INITIAL, FALLBACK_NAME, identifierBase } from './identifier-base.js';
export { formatIdentifier } from './format-identifier.js';
export { assertValidIdentifier, identifierProblem } from './validate-identifier.js';
export {
  allocateIdentifiers,
  type AllocateOptions,
  type PersonNames,
} from './allocate-identifiers.js';
export {
  DEFAULT_CACHED_FAMILIES,
  IdentifierAllocator,
  type AllocatorOptions,
} from './identifier-allocator.js';
export { previewIdentifier, type IdentifierPreview } from './preview-identifier.js';
export { setAlias, type IdentifierChange } from './set-alias.js';
export { replaceIdentifier, type Replacement } from './replace-identifier.js';
export { retireAlias } from './retire-alias.js';
export { identifiersOf, primaryIdentifiersOf, type IdentifierRecord } from './identifiers-of.js';
export { identifierKey, type EventContext } from './identifier-events.js';
