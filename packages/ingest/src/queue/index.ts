export { ImportQueue, importJobId, type ImportJob, type SubmissionJob } from './import-queue.js';
export { submitUpload, type QueuedRun, type UploadSubmission } from './submit-upload.js';
export {
  listDecisions,
  requestDecision,
  type DecisionRequest,
  type DecisionView,
} from './request-decision.js';
export { pendingImportJobs } from './pending-jobs.js';
export { runImportJob, type ImportJobOptions } from './run-import-job.js';
export { progressWriter, type ProgressWriter } from './progress-writer.js';
export { sweepOrphanUploads, type OrphanSweepOptions } from './orphan-spools.js';
