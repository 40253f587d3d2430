export { CHECKED_COLUMNS } from './checked-columns.js';
export { aafIdOf, KEY_SEPARATOR, qualifiedKey } from './directory-key.js';
export { createDb, type CreateDbOptions, type DbHandle } from './create-db.js';
export { MIGRATIONS } from './migrations/index.js';
export { PREPARED } from './prepared-statements.js';
export type { Database } from './database.js';
export { DbErrors } from './errors.js';
export {
  migrateToLatest,
  migrationFingerprint,
  migrationNames,
  type MigrationReport,
} from './migrate.js';
export * from './tables/account-lifecycle.table.js';
export * from './tables/api.table.js';
export * from './tables/calendar.table.js';
export * from './tables/change-event.table.js';
export * from './tables/credential.table.js';
export * from './tables/directory.table.js';
export * from './tables/identifier.table.js';
export * from './tables/import.table.js';
export * from './tables/target.table.js';
export * from './tables/webhook.table.js';
export * from './tables/koxo.table.js';
export * from './tables/managed-group.table.js';
export * from './tables/year-transition.table.js';
export * from './tables/koxo-readback.table.js';
export * from './tables/scheduler.table.js';
export {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type RawBuilder,
  type SqlBool,
  type Transaction,
} from 'kysely';
export type { Executor } from './executor.js';
export { withoutJit } from './without-jit.js';
export {
  bulkDelete,
  bulkInsert,
  bulkUpdate,
  type BulkAlso,
  type BulkColumn,
  type BulkInsertOptions,
  type BulkOnConflict,
  type BulkReturned,
  type BulkRow,
  type BulkTable,
  type BulkUpdateOptions,
  type BulkValue,
} from './bulk-write.js';
export { copyRows, copyValue } from './copy-rows.js';
export {
  appendEvents,
  EVENT_WRITER_LOCK,
  type EventInput,
} from './repositories/change-event.repository.js';
export {
  EVENT_WATERMARK,
  eventWatermark,
  purgeEvents,
  slowestConsumer,
  type PurgeEventsInput,
  type PurgeEventsResult,
} from './repositories/change-event-purge.repository.js';
export {
  findApiKey,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
  touchApiKey,
} from './repositories/api-key.repository.js';
export { insertAudit } from './repositories/audit-log.repository.js';
