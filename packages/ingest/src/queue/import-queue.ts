import { defineQueue, type PayloadOf } from '@aaf-sync/jobs';
import { z } from 'zod';

const Submission = z.object({
  kind: z.literal('submission'),
  /** The runs created `queued` for this upload, one per delivery it holds. */
  importIds: z.array(z.number().int().positive()).min(1),
  /** The upload's spool folder (under AAF_UPLOAD_DIR). */
  spoolDir: z.string().min(1),
  dryRun: z.boolean(),
  actor: z.string().min(1),
  /** The submitter's establishments (null: every establishment). */
  scope: z.object({ uais: z.array(z.string()).nullable() }),
});

const Decision = z.object({
  kind: z.literal('decision'),
  /** An `import_decision` row. */
  decisionId: z.number().int().positive(),
});

/**
 * The queue of imports run by the ingester: uploaded deliveries and decisions on held plans.
 * Jobs carry ids; PostgreSQL holds the work (queued runs, queued decisions), so a lost job is
 * rebuilt by `pendingImportJobs`.
 */
export const ImportQueue = defineQueue({
  name: 'aaf-imports',
  payload: z.discriminatedUnion('kind', [Submission, Decision]),
});

export type ImportJob = PayloadOf<typeof ImportQueue>;
export type SubmissionJob = Extract<ImportJob, { kind: 'submission' }>;

/** The job id of a piece of work: enqueueing it twice adds it once. */
export function importJobId(job: ImportJob): string {
  return job.kind === 'submission'
    ? `submission-${Math.min(...job.importIds)}`
    : `decision-${job.decisionId}`;
}
