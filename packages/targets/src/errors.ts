import { defineErrors } from '@aaf-sync/errors';

export const TargetsErrors = defineErrors('TARGETS', {
  INVALID: {
    status: 400,
    message: 'invalid target: {problems}',
    description:
      'The target definition does not fit the schema of its kind (name, establishments, ' +
      'options or secrets). Nothing was written.',
  },
  NOT_FOUND: {
    status: 404,
    message: 'no target named {name}',
    description: 'No target has this name (or it is outside the caller’s establishments).',
  },
  NAME_TAKEN: {
    status: 409,
    message: 'a target named {name} already exists',
    description: 'Target names are unique; choose another name or update the existing target.',
  },
  SECRETS_KEY_UNKNOWN: {
    status: 500,
    message:
      'the secrets of target {name} were encrypted with key {keyId}, which is not configured',
    description:
      'TARGET_SECRETS_KEY changed and the previous key is not listed in ' +
      'TARGET_SECRETS_PREVIOUS_KEYS: add it there, or set the secrets of the target again.',
  },
  SECRETS_UNREADABLE: {
    status: 500,
    message: 'the secrets of target {name} cannot be decrypted (key {keyId})',
    description:
      'The ciphertext failed authentication: it was altered, or another key with the same id ' +
      'was configured. Set the secrets of the target again.',
  },
  NOT_SERVED: {
    status: 400,
    message: 'target {name} does not serve establishment {uai}',
    description:
      'A reconcile or a listing was asked for an establishment that is not one of the ' +
      'target’s. Nothing was written.',
  },
  NO_DRIVER: {
    status: 501,
    message: 'targets of kind {kind} have no worker yet',
    description:
      'The kind is declared (its options and secrets are validated and stored) but this ' +
      'version has no driver for it: its provisioning rows stay pending.',
  },
  UNAVAILABLE: {
    status: 503,
    message: 'target {name} is unavailable: {reason}',
    description:
      'The target did not answer or refused the connection. Its provisioning rows stay ' +
      'pending and are retried; nothing is lost.',
    retryable: true,
  },
});
