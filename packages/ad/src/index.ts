export { adDriver, newAdStats, SAM_MAX, type AdDriverDeps, type AdStats } from './ad-driver.js';
export { adOptions, encryptedChannel } from './ad-options.js';
export {
  desiredEntry,
  ENABLED_KEY,
  GROUPS_KEY,
  PROFILE_KEY,
  UAI_KEY,
  USER_OBJECT_CLASSES,
} from './desired-entry.js';
export { AdErrors } from './errors.js';
export { adLayout, domainOf, normDn, type AdLayout } from './layout.js';
export type { AdPasswordPort, WrittenAccount } from './passwords.js';
export {
  AD_LOGIN_NAMESPACE,
  DEFAULT_AD_PROFILE,
  GLOBAL_SECURITY_GROUP,
  resolveAdProfile,
  type AdProfile,
  type AdProfileOverrides,
} from './profile.js';
export { ACCOUNTDISABLE, CREATED_DISABLED, NORMAL_ACCOUNT } from './uac.js';
