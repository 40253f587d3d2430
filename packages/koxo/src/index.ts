export { KoxoErrors } from './errors.js';
export {
  DEFAULT_PRIMARY_GROUPS,
  KOXO_COLUMNS,
  KOXO_LOGIN_MAX,
  type KoxoColumn,
  type KoxoPopulation,
  type KoxoRow,
} from './columns.js';
export { csvField, serializeKoxoCsv } from './csv.js';
export { koxoRow, loginProblem } from './build-rows.js';
export {
  buildKoxoFiles,
  koxoFileName,
  type GeneratedFile,
  type GeneratedSet,
} from './build-files.js';
export { DEFAULT_SHRINK_THRESHOLD, koxoOptions, type KoxoOptions } from './koxo-options.js';
export { loadRoster, type RosterEntry } from './roster.js';
export { shrinkReason } from './shrink-guard.js';
export {
  noInitialPasswords,
  type InitialPasswords,
  type InitialPasswordsFactory,
  type PasswordTargetRef,
} from './initial-passwords.js';
export { manifestName, publishFiles, writeAtomically, type KoxoManifest } from './publish.js';
export {
  regenerateEstablishment,
  type KoxoTargetRef,
  type RegenerateOutcome,
} from './regenerate.js';
export { approveSnapshot, discardSnapshot, heldSnapshots } from './snapshot-decisions.js';
export { listPublishedFiles, readPublishedFile, type PublishedFile } from './published-files.js';
export { koxoDriver, type KoxoDriverDeps } from './koxo-driver.js';
export {
  DEFAULT_MISSING_AFTER_SYNCS,
  DEFAULT_READBACK_EVERY_MINUTES,
  type KoxoReadBackOptions,
} from './koxo-options.js';
export {
  READBACK_FILTER,
  checkReadBack,
  readAdAccounts,
  type AdAccount,
} from './read-ad-accounts.js';
export {
  readBackSettings,
  runKoxoReadBack,
  type ReadBackContext,
  type ReadBackRunResult,
  type ReadBackTarget,
} from './run-readback.js';
export { runDueKoxoReadBacks, type DueReadBack } from './due-readbacks.js';
export { koxoReadBackReport } from './readback-report.js';
export {
  ReadBackAccountSchema,
  ReadBackEstablishmentSchema,
  ReadBackReportSchema,
  ReadBackRunSchema,
  UnknownAdEntrySchema,
  type ReadBackAccount,
  type ReadBackEstablishment,
  type ReadBackReport,
  type ReadBackRunView,
} from './readback-report.schema.js';
export type { UnknownAdEntry } from './readback.repository.js';
