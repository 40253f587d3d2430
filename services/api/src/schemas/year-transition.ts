import { z } from 'zod';
import { ClassGroupKindSchema, IsoTimeSchema } from './common.js';
import { SchoolYearSchema } from './managed-group.js';

export const YearTransitionQuerySchema = z.object({
  schoolYear: SchoolYearSchema.optional().describe('Default: the latest transition.'),
});

export const YearTransitionReportSchema = z
  .object({
    uai: z.string(),
    schoolYear: z.string().describe('The new school year (N+1).'),
    endingSchoolYear: z.string().describe('The year that ended (N).'),
    importId: z.number().int().describe('The initialisation complete that triggered it.'),
    initialisationAppliedAt: IsoTimeSchema,
    ranAt: IsoTimeSchema,
    closed: z
      .array(
        z.object({
          kind: ClassGroupKindSchema,
          code: z.string(),
          label: z.string(),
          teachers: z
            .number()
            .int()
            .describe('Teachers still linked to it (stale links never keep it alive).'),
        }),
      )
      .describe('Classes and groups of year N no pupil re-created: closed.'),
    leftovers: z
      .array(
        z.object({
          code: z.string(),
          label: z.string(),
          pupils: z.number().int(),
          stayed: z.number().int().describe('Pupils already in this class in year N.'),
          share: z.number(),
        }),
      )
      .describe(
        'Suspected year-N leftovers: classes whose pupils mostly sit in the class they had in ' +
          'year N (not moved out in SIECLE before the initialisation complete).',
      ),
    leftoverShare: z.number(),
    teacherOnly: z
      .array(z.object({ kind: ClassGroupKindSchema, code: z.string(), teachers: z.number().int() }))
      .describe('Class and group codes referenced only by teachers.'),
    staleTeachingLinksExpectedUntil: z.string(),
  })
  .meta({ id: 'YearTransitionReport' });
