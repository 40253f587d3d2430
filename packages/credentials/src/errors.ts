import { defineErrors } from '@aaf-sync/errors';

export const CredentialsErrors = defineErrors('CREDENTIALS', {
  NONE: {
    status: 404,
    message: 'no initial password of target {target} for {what}',
    description:
      'No initial password was ever issued on this target for these accounts (establishment and ' +
      'class as asked). Passwords are issued when the target creates an account, or by a reset.',
  },
  NOT_SET_YET: {
    status: 409,
    message: '{pending} initial password(s) of target {target} for {what} are not set on it yet',
    description:
      'The passwords exist but the targets process has not set them on the target yet (the ' +
      'target is down, suspended or behind). Retry when its provisioning rows are applied: a ' +
      'sheet only lists passwords that work.',
    retryable: true,
  },
  ALREADY_RETRIEVED: {
    status: 410,
    message:
      'the initial passwords of target {target} for {what} were retrieved ({retrievedAt}, by ' +
      '{retrievedBy}) and purged',
    description:
      'The clear copy of an initial password is purged when its sheet is retrieved ' +
      '(CREDENTIALS_PURGE_ON_RETRIEVAL) or at the year end; it cannot be shown again. Reset the ' +
      'password of the accounts concerned (POST /v1/accounts/{id}/password-reset or ' +
      '`pnpm aaf-sync password-reset`) to issue new ones.',
  },
  NO_PASSWORD_TARGET: {
    status: 409,
    message: 'account {account} is on no target that takes passwords',
    description:
      'A reset needs a password-capable target (kind scribe) serving one of the account’s ' +
      'establishments that holds the account or is about to create it.',
  },
  UNREADABLE: {
    status: 500,
    message: 'the initial password of person {personId} on target {target} cannot be decrypted',
    description:
      'The sealed copy failed authentication, or it was sealed with a key that is no longer ' +
      'configured (TARGET_SECRETS_KEY / TARGET_SECRETS_PREVIOUS_KEYS). Reset the password.',
  },
  INVALID: {
    status: 400,
    message: 'invalid credentials request: {problem}',
    description: 'The request is malformed (a format, a class code, a date); nothing was done.',
  },
});
