export { CredentialsErrors } from './errors.js';
export {
  generatePassword,
  passwordClasses,
  MIN_PASSWORD_LENGTH,
  PASSWORD_CLASSES,
  type PasswordClass,
} from './password-generator.js';
export { PASSWORD_TARGETS, takesPasswords } from './password-targets.js';
export { openPassword, sealPassword } from './sealed-password.js';
export {
  initialPasswords,
  issueCredential,
  markPasswordsSet,
  pendingPasswords,
  type IssueInput,
  type PendingPassword,
} from './credential-store.js';
export { createPasswordPort, type PasswordPort } from './password-port.js';
export { driverPasswords, type DriverPasswords, type WrittenAccount } from './driver-passwords.js';
export { filePasswords } from './file-passwords.js';
export type { CredentialSheet, SheetClass, SheetEntry } from './credential-sheet.js';
export {
  retrieveCredentials,
  type AuditContext,
  type RetrieveInput,
} from './retrieve-credentials.js';
export { CSV_COLUMNS, renderCredentialsCsv } from './render-csv.js';
export { renderCredentialsHtml, SHEET_INSTRUCTIONS } from './render-html.js';
export { resetPassword, type ResetInput, type ResetTarget } from './password-reset.js';
export { lastYearEnd, purgeCredentials } from './purge-credentials.js';
