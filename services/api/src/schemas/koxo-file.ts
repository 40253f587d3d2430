import { ReadBackReportSchema } from '@aaf-sync/koxo';
import { z } from 'zod';
import { UaiSchema } from './common.js';
import { TargetNameSchema } from './target.js';

export const KoxoFileSchema = z
  .object({
    file: z
      .string()
      .describe('`<UAI>-<population>.csv` (population: pupil, teacher, staff, relative)'),
    target: z.string(),
    uai: z.string(),
    population: z.string(),
    primaryGroup: z.string().describe('The KoXo primary group the file feeds'),
    snapshotVersion: z.number().int().describe('Version of the establishment’s snapshot'),
    rows: z.number().int(),
    sha256: z.string().describe('sha256 of the CSV bytes; also its ETag'),
    generatedAt: z.string(),
    eventSeq: z.number().int().describe('The last directory event the file reflects'),
  })
  .describe('A published KoXo file, as its manifest describes it');

export const KoxoFilesSchema = z.object({ items: z.array(KoxoFileSchema) });

export const KoxoFileParamsSchema = z.object({
  name: TargetNameSchema,
  file: z
    .string()
    .regex(/^[0-9]{7}[A-Z]-[a-z]+\.(csv|manifest\.json)$/, 'a KoXo file or manifest name'),
});

export const KoxoSnapshotSchema = z.object({
  uai: z.string(),
  version: z.number().int(),
  status: z.enum(['published', 'held', 'discarded', 'superseded']),
  eventSeq: z.number().int(),
  generatedAt: z.string(),
  holdReason: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
});
export const KoxoSnapshotsSchema = z.object({ items: z.array(KoxoSnapshotSchema) });

export const KoxoSnapshotParamsSchema = z.object({
  name: TargetNameSchema,
  uai: z.string().regex(/^[0-9]{7}[A-Z]$/, 'a UAI'),
  version: z.coerce.number().int().min(1),
});

/** The read-back report: declared once in packages/koxo (zod), named here for the OpenAPI document. */
export const KoxoReadBackReportSchema = ReadBackReportSchema.meta({
  id: 'KoxoReadBackReport',
  description:
    'What the KoXo site’s Active Directory holds for the target’s accounts, per establishment ' +
    '(packages/koxo README, "Read-back").',
});

export const KoxoReadBackQuerySchema = z.object({
  uai: UaiSchema.optional().describe(
    'One establishment of the target (default: all the key may read).',
  ),
});
