import { WARNING_CODES } from '@aaf-sync/aaf';
import {
  DECISION_KINDS,
  IMPORT_KINDS,
  IMPORT_PHASES,
  IMPORT_STATUSES,
  PLAN_STATUSES,
} from '@aaf-sync/db';
import { ImportReportSchema as EngineReportSchema, WarningReportSchema } from '@aaf-sync/ingest';
import { z } from 'zod';
import {
  CursorSchema,
  DateSchema,
  IsoTimeSchema,
  JsonObjectSchema,
  LevelSchema,
  limitSchema,
  pageSchema,
  UaiSchema,
} from './common.js';

export const ImportProgressSchema = z
  .object({
    phase: z
      .enum(IMPORT_PHASES)
      .describe(
        'queued: waiting for the ingester; reading: files read and compared with the directory; ' +
          'planning: departures and holds; applying: the transaction; done.',
      ),
    recordsRead: z.number().int().describe('AAF records read so far.'),
    bytesRead: z.number().int().describe('Bytes of XML read so far.'),
    updatedAt: IsoTimeSchema,
  })
  .meta({ id: 'ImportProgress', description: 'Written by the ingester about once a second.' });

export const ImportRunSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(IMPORT_KINDS),
    scope: z.string(),
    level: LevelSchema.nullable().describe('Null while queued.'),
    fileDate: DateSchema,
    source: z.string(),
    deliveryName: z.string(),
    contentHash: z.string().nullable().describe('Null while queued.'),
    status: z.enum(IMPORT_STATUSES),
    dryRun: z.boolean(),
    createdAt: IsoTimeSchema,
    finishedAt: IsoTimeSchema.nullable(),
    error: JsonObjectSchema.nullable(),
    progress: ImportProgressSchema.nullable().describe(
      'Null for imports that did not go through the queue (CLI, inbox).',
    ),
  })
  .meta({ id: 'ImportRun' });

export const ImportPlanSchema = z
  .object({
    structureJointure: z.string(),
    uai: z.string().nullable(),
    status: z.enum(PLAN_STATUSES),
    counts: z.record(z.string(), z.number()),
    activeBefore: z.number().int(),
    departures: z.number().int(),
    decidedAt: IsoTimeSchema.nullable(),
    decidedBy: z.string().nullable(),
  })
  .meta({ id: 'ImportPlan', description: "One establishment's part of an import." });

export const ImportFileSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    entity: z.string(),
    kind: z.enum(IMPORT_KINDS),
    fileDate: DateSchema,
    chunk: z.number().int(),
    sha256: z.string(),
    sizeBytes: z.number().int(),
    encoding: z.string().nullable(),
    formatVersion: z.string().nullable(),
    records: z.number().int(),
    rejects: z.number().int(),
    unknownAttributes: z.record(z.string(), z.number()),
    status: z.string(),
    error: JsonObjectSchema.nullable(),
  })
  .meta({ id: 'ImportFile' });

export const DecisionSchema = z
  .object({
    id: z.number().int(),
    uai: z.string(),
    decision: z.enum(DECISION_KINDS),
    status: z
      .enum(['queued', 'running', 'done', 'failed'])
      .describe('failed: see `error` (e.g. the plan is out of date); the plan stays held.'),
    actor: z.string(),
    error: JsonObjectSchema.nullable(),
    requestedAt: IsoTimeSchema,
    finishedAt: IsoTimeSchema.nullable(),
  })
  .meta({ id: 'PlanDecision', description: 'An approve/discard request on a held plan.' });

const ImportWarningSchema = WarningReportSchema.extend({
  code: z.string().describe(WARNING_CODES.join(', ')),
}).meta({ id: 'ImportWarning' });

/** The engine's report, as packages/ingest declares it (one source for types and OpenAPI). */
export const ImportSummarySchema = EngineReportSchema.meta({
  id: 'ImportSummary',
  description:
    "The engine's report of an import: its files (records = created + updated + restored + " +
    'unchanged + departed + rejected), establishments (persons by category, hold decision), ' +
    'the persons of no establishment, structures/subjects/MEFs on lines of their own, totals, ' +
    'rejects and data-quality warnings.',
});

export const ImportReportSchema = z
  .object({
    import: ImportRunSchema,
    summary: ImportSummarySchema.nullable().describe(
      "The engine's report. It covers every establishment of the delivery, so it is returned " +
        'to unrestricted keys only (null for establishment-scoped keys, and for a report stored ' +
        'by an earlier version in another shape: the server logs it).',
    ),
    files: z.array(ImportFileSchema),
    plans: z.array(ImportPlanSchema).describe('Only the key’s establishments for scoped keys.'),
    decisions: z
      .array(DecisionSchema)
      .describe('Approve/discard requests, oldest first (the key’s establishments only).'),
    warnings: z
      .array(ImportWarningSchema)
      .describe(
        'Data-quality warnings (records kept, distinct from rejects), the first 1000, by establishment (the key’s only for scoped keys).',
      ),
    warningsTruncated: z.boolean(),
  })
  .meta({ id: 'ImportReport' });

export const ImportsPageSchema = pageSchema(ImportRunSchema).meta({ id: 'ImportsPage' });

export const ImportsQuerySchema = z.object({
  cursor: CursorSchema.optional(),
  limit: limitSchema(50, 500),
  status: z.enum(IMPORT_STATUSES).optional(),
  kind: z.enum(IMPORT_KINDS).optional(),
});

export const ImportIdParamsSchema = z.object({
  id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe('Import id.'),
});

export const PlanParamsSchema = ImportIdParamsSchema.extend({ uai: UaiSchema });

export const RejectSchema = z
  .object({
    id: z.number().int(),
    fileId: z.number().int().nullable(),
    fileName: z.string(),
    line: z.number().int().nullable(),
    entity: z.string().nullable(),
    identifier: z.string().nullable(),
    structureJointure: z.string().nullable(),
    uai: z.string().nullable(),
    code: z.string().describe('Reject reason code (MISSING_REQUIRED, INVALID_DATE…).'),
    message: z.string(),
    attribute: z.string().nullable(),
    raw: z.string().nullable().describe('The raw record, to fix it at the source.'),
  })
  .meta({ id: 'Reject' });

export const RejectsPageSchema = pageSchema(RejectSchema).meta({ id: 'RejectsPage' });

const rejectFilters = {
  uai: UaiSchema.optional(),
  code: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'an upper-case reason code')
    .optional(),
};

export const RejectsQuerySchema = z.object({
  cursor: CursorSchema.optional(),
  limit: limitSchema(100, 1000),
  ...rejectFilters,
});

export const RejectsCsvQuerySchema = z.object(rejectFilters);

export const WarningSchema = z
  .object({
    id: z.number().int(),
    code: z.string().describe(`Warning code (the record was kept): ${WARNING_CODES.join(', ')}.`),
    uai: z.string().nullable().describe('The establishment concerned; null: none.'),
    structure: z.string().nullable().describe('Jointure of that establishment.'),
    subject: z.string().describe('Jointure of the person or establishment concerned.'),
    message: z.string(),
  })
  .meta({ id: 'Warning', description: 'A data-quality warning of an import.' });

export const WarningsPageSchema = pageSchema(WarningSchema).meta({ id: 'WarningsPage' });

export const WarningsQuerySchema = z.object({
  cursor: CursorSchema.optional(),
  limit: limitSchema(100, 1000),
  uai: UaiSchema.optional(),
  code: z.enum(WARNING_CODES).optional(),
});

export const SubmitQuerySchema = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .describe('true: plan only, write nothing (a form field `dryRun` works too).'),
});

const enqueued = z
  .boolean()
  .describe(
    'false when the queue (Redis) did not answer: the work is stored and the ingester picks ' +
      'it up at its next sweep (AAF_INBOX_POLL_SECONDS).',
  );

export const SubmitAcceptedSchema = z
  .object({
    importId: z.number().int().describe('The first import queued (also in `Location`).'),
    status: z.literal('queued'),
    enqueued,
    imports: z
      .array(z.object({ id: z.number().int(), deliveryName: z.string() }))
      .describe('One import per delivery found in the upload, in the order they will run.'),
  })
  .meta({ id: 'SubmitAccepted' });

export const DecisionAcceptedSchema = z
  .object({ decisionId: z.number().int(), status: z.literal('queued'), enqueued })
  .meta({ id: 'DecisionAccepted' });
