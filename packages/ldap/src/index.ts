export {
  LdapConnectionOptions,
  parseConnectionOptions,
  type LdapChange,
  type LdapConnectionInput,
  type LdapConnector,
  type LdapEntry,
  type LdapSearchOptions,
  type LdapSession,
} from './client.js';
export { escapeDnValue, escapeFilterValue, sameDn } from './dn.js';
export { LdapErrors } from './errors.js';
export { LDAP_RESULT, refused } from './result-codes.js';
export { connectLdapts, unicodePwd } from './ldapts-session.js';
export { createLdapPool, type LdapPool, type LdapPoolSettings } from './pool.js';
export { eachLimited, mapLimited } from './each-limited.js';
export { probeBaseDn } from './probe-base.js';
export { sshaHash, sshaVerify } from './ssha.js';
export { ldifEntry } from './ldif.js';
export { UAC, accountEnabled, parseUserAccountControl } from './user-account-control.js';
