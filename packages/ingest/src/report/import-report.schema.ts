import {
  IMPORT_FILE_STATUSES,
  IMPORT_KINDS,
  IMPORT_STATUSES,
  LEVELS,
  PERSON_CATEGORIES,
  PLAN_STATUSES,
} from '@aaf-sync/db';
import { z } from 'zod';
import {
  CATEGORY_COUNT_NAMES,
  COUNT_NAMES,
  REFERENCE_COUNT_NAMES,
} from '../plan/establishment-stats.js';

/**
 * The import report (the engine's answer, stored on the run and served by
 * `GET /v1/imports/{id}` as `summary`): one zod source, from which the TypeScript types below
 * and the OpenAPI document derive.
 */
const count = z.number().int().nonnegative();
const countsOf = <const K extends readonly string[]>(names: K) =>
  z.object(Object.fromEntries(names.map((n) => [n, count])) as { [N in K[number]]: typeof count });

export const CountsSchema = countsOf(COUNT_NAMES);
export const CategoryCountsSchema = countsOf(CATEGORY_COUNT_NAMES);
export const ReferenceCountsSchema = countsOf(REFERENCE_COUNT_NAMES);
export const ByCategorySchema = z
  .object(
    Object.fromEntries(PERSON_CATEGORIES.map((c) => [c, CategoryCountsSchema])) as Record<
      'pupil' | 'relative' | 'staff',
      typeof CategoryCountsSchema
    >,
  )
  .describe('The counts of the persons of each category.');

export const FileOutcomesSchema = z
  .object({
    created: count,
    updated: count,
    restored: count,
    unchanged: count,
    departed: count,
    rejected: count,
    held: count.describe(
      'New structures held for their UAI (UAI_CONFLICT), not in the directory: counted ' +
        '`created` once an operator approves them (still `held` when discarded).',
    ),
    warnings: z.record(z.string(), count).describe('Data-quality warnings by code.'),
  })
  .describe(
    'What became of its records: created + updated + restored + unchanged + departed + ' +
      'rejected + held = records (a record with value rejects but kept counts as kept).',
  );

export const FileReportSchema = z.object({
  name: z.string(),
  entity: z.string(),
  kind: z.string().describe('`Complet` or `Delta`, as the file name says.'),
  date: z.string(),
  chunk: z.number().int(),
  sizeBytes: count,
  sha256: z.string(),
  status: z.enum(IMPORT_FILE_STATUSES),
  records: count,
  rejects: count,
  unknownAttributes: z.record(z.string(), count),
  outcomes: FileOutcomesSchema,
  encoding: z.string().nullable(),
  formatVersion: z.string().nullable(),
  error: z.record(z.string(), z.unknown()).nullable(),
});

export const NoEstablishmentReportSchema = CountsSchema.extend({
  byCategory: ByCategorySchema,
}).describe(
  'Persons that belong to no establishment (relatives linked to no pupil, staff without one).',
);

export const EstablishmentReportSchema = CountsSchema.extend({
  uai: z.string().nullable(),
  structure: z.string(),
  name: z.string().nullable(),
  status: z.enum(PLAN_STATUSES),
  byCategory: ByCategorySchema.describe(
    'The counts of its persons by category (its own structure record is in `references`).',
  ),
  activeBefore: count,
  departures: count,
  departureRatio: z.number().min(0).max(1).describe('departures / activeBefore.'),
  overThreshold: z
    .boolean()
    .describe('Over the hold threshold: held (or, in a dry run, would be held).'),
  holdReason: z
    .enum(['departures', 'uai_conflict'])
    .nullable()
    .describe(
      'Why it is held (or, in a dry run, would be): `departures` over the threshold, or ' +
        '`uai_conflict` (a new structure jointure with the UAI of a known structure).',
    ),
  staleTeachingLinks: count.describe(
    "Teachers' links to classes or groups that have no pupil (never a reason to create them).",
  ),
  duplicateRelatives: count.describe(
    'Pairs of likely-duplicate relatives after the import (GET /v1/establishments/{uai}/reports/…).',
  ),
  relativeAccounts: count.describe('Relatives holding an account in the establishment now.'),
  relativeContacts: count.describe('Relatives of its active pupils who are contacts only.'),
  warnings: count.describe('Data-quality warnings of this import under the establishment.'),
});

export const RejectReportSchema = z.object({
  code: z.string(),
  file: z.string(),
  line: z.number().int().nullable(),
  entity: z.string().nullable(),
  identifier: z.string().nullable(),
  uai: z.string().nullable(),
  attribute: z.string().nullable(),
  message: z.string(),
});

export const WarningReportSchema = z.object({
  code: z.string(),
  uai: z.string().nullable(),
  structure: z.string().nullable(),
  subject: z.string().describe('Jointure of the person or establishment concerned.'),
  message: z.string(),
});

export const ImportReportSchema = z.object({
  importId: z.number().int(),
  delivery: z.string(),
  kind: z.enum(IMPORT_KINDS),
  date: z.string(),
  scope: z.string(),
  level: z.enum(LEVELS),
  source: z.string(),
  dryRun: z.boolean(),
  status: z.enum(IMPORT_STATUSES),
  error: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  files: z.array(FileReportSchema),
  establishments: z.array(EstablishmentReportSchema),
  noEstablishment: NoEstablishmentReportSchema.nullable().describe(
    'Null in a report for a scoped submitter.',
  ),
  references: z
    .object({
      structures: ReferenceCountsSchema,
      subjects: ReferenceCountsSchema,
      mefs: ReferenceCountsSchema,
    })
    .nullable()
    .describe('Structures, subjects and MEFs on lines of their own; null for a scoped submitter.'),
  totals: CountsSchema.extend({ records: count, held: count }).describe(
    "Persons: the establishments' counts plus the no-establishment line.",
  ),
  rejectsByCode: z.record(z.string(), count),
  rejects: z.array(RejectReportSchema),
  rejectsTruncated: z.boolean(),
  warningsByCode: z.record(z.string(), count),
  warnings: z.array(WarningReportSchema),
  warningsTruncated: z.boolean(),
});

export type FileOutcomes = z.infer<typeof FileOutcomesSchema>;
export type FileReport = z.infer<typeof FileReportSchema>;
export type NoEstablishmentReport = z.infer<typeof NoEstablishmentReportSchema>;
export type EstablishmentReport = z.infer<typeof EstablishmentReportSchema>;
export type RejectReport = z.infer<typeof RejectReportSchema>;
export type WarningReport = z.infer<typeof WarningReportSchema>;
export type ImportReport = z.infer<typeof ImportReportSchema>;
