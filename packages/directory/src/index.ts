export { isPublicPersonField, PUBLIC_PERSON_FIELDS, type Audience } from './audience.js';
export { personInScope, scopeAllows, structureInScope, UNRESTRICTED, type Scope } from './scope.js';
export { withFeedPosition, type FeedPosition } from './feed-head.js';
export { feedCursorExpired, nextFeedSeq } from './feed-position.js';
export { normalizeText, normalizedSql, searchTokens } from './search-text.js';
export {
  listPersons,
  type ClassGroupRef,
  type KeysetPage,
  type PersonFilter,
} from './person.repository.js';
export {
  isoTime,
  isoTimeOrNull,
  personRowToView,
  PERSONAL_PERSON_COLUMNS,
  PUBLIC_PERSON_COLUMNS,
  type PersonRow,
  type PersonView,
} from './person-view.js';
export { joinPerson, personAccessFor, runFor, type PersonAccess } from './establishment-persons.js';
export { findStructureByUai, listStructures } from './structure.repository.js';
export { structureRowToView, type StructureRow, type StructureView } from './structure-view.js';
export {
  findClassGroup,
  listClassGroupMembers,
  listClassGroups,
  listClassGroupTeachers,
  type ClassGroupFilter,
} from './class-group.repository.js';
export {
  classGroupKey,
  classGroupRowToView,
  memberRowToView,
  teacherRowToView,
  type ClassGroupRow,
  type ClassGroupView,
  type MemberRow,
  type MemberView,
  type TeacherRow,
  type TeacherView,
} from './class-group-view.js';
export {
  findStaleTeachingLinks,
  staleTeachingLinkRowToView,
  type StaleTeachingLink,
  type StaleTeachingLinkRow,
} from './stale-teaching-link.repository.js';
export {
  CONTACT_PHONE_KEYS,
  countDuplicateRelatives,
  findDuplicateRelatives,
  type DuplicateEvidence,
  type DuplicateRelativePairRow,
  type RelativeSummary,
} from './duplicate-relative.repository.js';
export { groupDuplicateRelatives, type DuplicateRelativeGroup } from './duplicate-relative-view.js';
export {
  listPersonHistory,
  readChanges,
  type ChangeQuery,
  type EventTypeFilter,
} from './change-feed.repository.js';
export {
  eventRowToFeedItem,
  FEED_OPS,
  feedTypeMatches,
  projectEvent,
  redactChanges,
  type EventRow,
  type FeedItem,
  type FeedOp,
} from './event-view.js';
export { projectFeedPage } from './feed-page.js';
export { readerFor, scopedReader, unrestrictedReader, type Reader } from './reader.js';
export {
  structureVisible,
  visibleDetails,
  visibleDetailValue,
  visiblePrimary,
  visibleStructures,
  visibleUais,
} from './establishment-filter.js';
export {
  findAccount,
  findAccountByRef,
  resolveAccount,
  type AccountRef,
} from './account.repository.js';
export {
  accountRowToView,
  type AccountRow,
  type AccountView,
  type IdentifierView,
} from './account-view.js';
export {
  findImport,
  findImportPlan,
  listImportFiles,
  listImportPlans,
  listImports,
  listRejects,
  listWarnings,
  type ImportFilter,
  type RejectFilter,
  type WarningFilter,
} from './import-report.repository.js';
export {
  importFileRowToView,
  importPlanRowToView,
  importRunRowToView,
  rejectRowToView,
  warningRowToView,
  type ImportFileView,
  type ImportPlanView,
  type ImportRunRow,
  type ImportRunView,
  type RejectView,
  type WarningView,
} from './import-view.js';
