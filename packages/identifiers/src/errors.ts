import { defineErrors } from '@aaf-sync/errors';

export const IdentifierErrors = defineErrors('IDENTIFIERS', {
  UNKNOWN_NAMESPACE: {
    status: 400,
    message: 'unknown identifier namespace "{namespace}" (known: {known})',
    description:
      'The namespace is not one of the presets of packages/identifiers, or not among the ' +
      'namespaces configured in IDENTIFIER_NAMESPACES. Use one of the names listed in the message.',
  },
  INVALID_VALUE: {
    status: 400,
    message: '"{value}" is not a valid {namespace} identifier: {reason}',
    description:
      'An identifier chosen by an administrator (alias or replacement) breaks the rules of its ' +
      'namespace: length, forbidden characters, shape or reserved name. The reason says which.',
  },
  TAKEN: {
    status: 409,
    message: '{namespace} identifier "{value}" is already taken',
    description:
      'The value is held by another person, or was retired (retired identifiers stay reserved ' +
      'forever and are never given to anybody else). Choose another value.',
  },
  PERSON_NOT_FOUND: {
    status: 404,
    message: 'person {personId} does not exist',
    description: 'The identifier operation names a person id that is not in the directory.',
  },
  NOT_FOUND: {
    status: 404,
    message: '{namespace} identifier "{value}" does not exist',
    description: 'No person holds this value in this namespace (active, alias or retired).',
  },
  PRIMARY_NOT_RETIRABLE: {
    status: 409,
    message: '{namespace} identifier "{value}" is a primary identifier and cannot be retired alone',
    description:
      'A person keeps exactly one primary identifier per namespace. To change it, replace it ' +
      '(replaceIdentifier): the old value is then retired and stays reserved.',
  },
  ALLOCATION_CONFLICT: {
    status: 503,
    message: 'could not allocate {count} identifier(s) after {rounds} rounds of conflicts',
    description:
      'Candidate values kept colliding with values inserted at the same time by other ' +
      'transactions. This should never happen in practice; the transaction can be retried.',
    retryable: true,
  },
  NUMBER_TOO_LONG: {
    status: 500,
    message: 'homonym number {number} does not fit in the {maxLength} characters of {namespace}',
    description:
      'A homonym family grew so large that its number leaves no room for the name part. ' +
      'The namespace needs a larger maximum length.',
  },
  INVALID_RULE: {
    status: 500,
    message: 'invalid rule for namespace {namespace}: {reason}',
    description:
      'A namespace rule has impossible settings (maximum length too small, negative number ' +
      'start). Fix the configuration.',
  },
});
