import { defineErrors } from '@aaf-sync/errors';

export const LdapErrors = defineErrors('LDAP', {
  INVALID_OPTIONS: {
    status: 400,
    message: 'invalid LDAP connection options: {problems}',
    description:
      'The URL, DNs, timeouts or TLS options of an LDAP connection do not fit the schema. ' +
      'Nothing was contacted.',
  },
  UNAVAILABLE: {
    status: 503,
    message: 'LDAP server {url} is unavailable: {reason}',
    description:
      'The server did not answer, refused or reset the connection, timed out, or said it is ' +
      'busy or unavailable, after the retries with backoff. The caller keeps its work pending ' +
      'and tries again later (a target driver throws, so its rows stay pending).',
    retryable: true,
  },
  BIND_REFUSED: {
    status: 502,
    message: 'LDAP server {url} refused the bind as {dn}: {reason}',
    description:
      'Wrong bind DN or password, or the account may not bind. Fix the target’s bindDn / ' +
      'bindPassword; retrying does not help.',
  },
  CLEAR_PASSWORD: {
    status: 400,
    message: 'refused to send the password of {dn} over the clear connection to {url}',
    description:
      'A password (Active Directory `unicodePwd`) is only sent over an encrypted connection ' +
      '(`ldaps://`, or `ldap://` with StartTLS). Nothing was sent. Use an `ldaps://` URL.',
  },
  TLS_REFUSED: {
    status: 502,
    message: 'LDAP server {url}: its TLS certificate was not accepted: {reason}',
    description:
      'The certificate of an `ldaps://` or StartTLS server is not signed by a trusted CA (give the ' +
      'CA in `tls.ca`), has expired, or does not name the host. Not retried: fix the CA or the ' +
      'URL (`tls.rejectUnauthorized: false` only for a test server).',
  },
  REJECTED: {
    status: 422,
    message: 'LDAP {operation} of {dn} refused: {reason} (result {resultCode})',
    description:
      'The server refused this one operation for good (schema or constraint violation, no such ' +
      'object, already exists, invalid syntax, access denied…). It concerns one entry: a driver ' +
      'records it on that account’s provisioning row; the other entries go on.',
  },
});
