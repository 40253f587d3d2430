export {
  ingestPaths,
  recoverInterrupted,
  type IngestOptions,
  type IngestResult,
} from './ingest-paths.js';
export { ingestDelivery, type DeliveryOptions } from './ingest-delivery.js';
export { ACADEMY_WIDE, type SubmitterScope } from './plan/submitter-scope.js';
export { decideHeldPlan, type HeldDecision } from './decide-held.js';
export { latestHeldImport } from './run/import-plan.repository.js';
export { runStatusOf, type RunFacts } from './run/run-status.js';
export {
  buildImportReport,
  type EstablishmentReport,
  type FileReport,
  type ImportReport,
  type RejectReport,
} from './report/import-report.js';
export { importWarnings, type WarningReport, type WarningRow } from './report/import-warnings.js';
export { ImportReportSchema, WarningReportSchema } from './report/import-report.schema.js';
export {
  nowOf,
  type IdentifierSession,
  type IngestDeps,
  type OpenIdentifierSession,
} from './deps.js';
export { DEFAULT_INGEST_SETTINGS, type IngestSettings } from './settings.js';
export { IngestErrors } from './errors.js';
export { INGEST_LOCK } from './run/ingest-lock.js';
export { createIngestDeps, type CreateIngestDepsOptions } from './create-deps.js';
export * from './queue/index.js';
