export {
  desiredEntry,
  GROUPS_KEY,
  groupCn,
  parseGroupRef,
  UAI_KEY,
  type GroupRef,
} from './desired-entry.js';
export { scribeDit, type Dit } from './dit.js';
export { entryChanges, entryForAdd } from './entry-diff.js';
export { ScribeErrors } from './errors.js';
export type { PasswordPort, WrittenAccount } from './passwords.js';
export { allocatePosixIds } from './posix-ids.js';
export { DEFAULT_SCRIBE_PROFILE, resolveProfile, type ScribeProfile } from './profile.js';
export {
  newScribeStats,
  scribeDriver,
  type ScribeDriverDeps,
  type ScribeStats,
} from './scribe-driver.js';
export { exportScribeLdif } from './export-ldif.js';
