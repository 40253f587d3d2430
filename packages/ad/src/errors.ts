import { defineErrors } from '@aaf-sync/errors';

export const AdErrors = defineErrors('AD', {
  INVALID_OPTIONS: {
    status: 400,
    message: 'invalid options for Active Directory target {name}: {problems}',
    description:
      'The target’s options (url, baseDn, bindDn, profile overrides…) or its bindPassword ' +
      'secret do not fit the AD driver. Fix the target; its rows stay pending.',
  },
  CLEAR_CHANNEL: {
    status: 400,
    message:
      'Active Directory target {name} uses a clear connection ({url}): no bind and no password ' +
      'are sent over it',
    description:
      'An AD target must be reached over `ldaps://` (or `ldap://` with `startTls`): the bind ' +
      'password and the accounts’ `unicodePwd` are never sent in clear. Nothing was sent; the ' +
      'batch throws and its rows stay pending until the URL is fixed.',
  },
  LOGIN_TOO_LONG: {
    status: 422,
    message: 'login {login} has {length} characters: sAMAccountName takes at most 20',
    description:
      'The account’s login in the AD namespace is longer than the 20 characters of ' +
      '`sAMAccountName` (Samba accepts longer ones, Windows clients do not). The account is ' +
      'not written; fix its identifier (replace it in the namespace) and it is retried.',
  },
  NO_LOGIN: {
    status: 422,
    message: 'account {jointure} has no login in namespace {namespace}',
    description:
      'The account has no primary identifier in the namespace the AD profile uses as ' +
      '`sAMAccountName` (`koxo` by default). It is not written until it has one.',
  },
  PASSWORD_REFUSED: {
    status: 422,
    message:
      'the domain refused the password of {login}: {reason}; a new compliant password ' +
      '({length} characters) was issued and is set at the next attempt',
    description:
      'The domain’s password policy refused the password (constraint violation or ' +
      'unwilling to perform, e.g. too short). The account stays disabled; a new password of at ' +
      'least the domain’s `minPwdLength` was generated and sealed, and the account’s retry ' +
      'sets it and enables the account.',
  },
});
