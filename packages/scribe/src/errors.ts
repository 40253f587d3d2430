import { defineErrors } from '@aaf-sync/errors';

export const ScribeErrors = defineErrors('SCRIBE', {
  INVALID_OPTIONS: {
    status: 400,
    message: 'invalid options for Scribe target {name}: {problems}',
    description:
      'The target’s options (url, baseDn, bindDn, profile overrides…) or its bindPassword ' +
      'secret do not fit the Scribe driver. Fix the target; its rows stay pending.',
  },
  PASSWORD_NEEDS_TLS: {
    status: 409,
    message:
      'Scribe target {name}: passwords are set only over TLS (profile passwordsOverTlsOnly) and {url} is not encrypted',
    description:
      'The target’s profile says initial passwords travel only on an encrypted connection, and ' +
      'the connection is plain `ldap://` without StartTLS. The entries are written; each ' +
      'account whose password is due fails with this reason (the password stays due) until the ' +
      'target uses `ldaps://` or `startTls`.',
  },
});
