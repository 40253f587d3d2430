import { z } from 'zod';
import {
  ClassGroupKindSchema,
  CursorSchema,
  IsoTimeSchema,
  LevelSchema,
  limitSchema,
  pageSchema,
  PersonStateSchema,
  UaiSchema,
} from './common.js';

export const EstablishmentSchema = z
  .object({
    jointure: z.string().describe('ENTStructureJointure (unique within its académie scope).'),
    scope: z
      .string()
      .optional()
      .describe("Académie scope of the files that feed it ('-': files without one)."),
    uai: z.string().nullable(),
    name: z.string(),
    type: z.string().nullable(),
    contract: z.string().nullable(),
    academy: z.string().nullable(),
    level: LevelSchema,
    version: z.number().int(),
    updatedAt: IsoTimeSchema,
    counts: z
      .record(z.string(), z.number().int())
      .optional()
      .describe('Attached persons by `<profile>.<state>` (detail only).'),
  })
  .meta({ id: 'Establishment' });

export const EstablishmentsPageSchema = pageSchema(EstablishmentSchema).meta({
  id: 'EstablishmentsPage',
});
export const EstablishmentsQuerySchema = z.object({
  cursor: CursorSchema.optional(),
  limit: limitSchema(100, 500),
});
export const UaiParamsSchema = z.object({ uai: UaiSchema });

export const StaleTeachingLinkSchema = z
  .object({
    personJointure: z.string(),
    givenName: z.string().nullable(),
    sn: z.string().nullable(),
    personState: PersonStateSchema.nullable(),
    kind: ClassGroupKindSchema,
    code: z.string(),
    subjectCode: z.string(),
    reason: z.enum(['missing', 'empty']).describe('missing: no such class/group; empty: no pupil.'),
  })
  .meta({ id: 'StaleTeachingLink' });

export const StaleTeachingLinksSchema = z
  .object({ establishment: z.string(), items: z.array(StaleTeachingLinkSchema) })
  .meta({ id: 'StaleTeachingLinks' });

const RelativeSummarySchema = z.object({
  jointure: z.string(),
  givenName: z.string(),
  sn: z.string(),
  pupils: z.array(z.string()).describe("This relative's pupils in the establishment."),
});

export const DuplicateRelativeGroupSchema = z
  .object({
    relatives: z.array(RelativeSummarySchema),
    matches: z.array(
      z.object({
        a: z.string(),
        b: z.string(),
        evidence: z.array(z.enum(['mail', 'phone', 'address'])),
      }),
    ),
  })
  .meta({ id: 'DuplicateRelativeGroup' });

export const DuplicateRelativesSchema = z
  .object({ establishment: z.string(), groups: z.array(DuplicateRelativeGroupSchema) })
  .meta({ id: 'DuplicateRelatives' });
