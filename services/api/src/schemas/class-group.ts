import { CLASS_GROUP_STATES } from '@aaf-sync/db';
import { z } from 'zod';
import {
  ClassGroupKindSchema,
  CursorSchema,
  IsoTimeSchema,
  limitSchema,
  pageSchema,
  PersonStateSchema,
  ProfileSchema,
  UaiSchema,
} from './common.js';

export const ClassGroupSchema = z
  .object({
    id: z.number().int(),
    kind: ClassGroupKindSchema,
    key: z.string().describe('`<structureJointure>$<code>`: the key of its feed events.'),
    structureJointure: z.string(),
    uai: z.string().nullable(),
    code: z.string(),
    label: z.string(),
    state: z.enum(CLASS_GROUP_STATES).describe('empty: the last pupil left.'),
    closedSchoolYear: z
      .string()
      .nullable()
      .describe(
        'The school year at whose end the year transition closed it (no pupil re-created it; ' +
          "teachers' links do not count); null when open. A pupil joining reopens it.",
      ),
    memberCount: z.number().int(),
    version: z.number().int(),
    updatedAt: IsoTimeSchema,
  })
  .meta({ id: 'ClassGroup' });

export const ClassGroupDetailSchema = ClassGroupSchema.extend({
  members: z.array(
    z.object({
      jointure: z.string(),
      givenName: z.string(),
      sn: z.string(),
      profile: ProfileSchema,
      state: PersonStateSchema,
      since: IsoTimeSchema,
    }),
  ),
  teachers: z.array(
    z.object({
      jointure: z.string(),
      givenName: z.string().nullable(),
      sn: z.string().nullable(),
      state: PersonStateSchema.nullable(),
      subjectCode: z.string(),
      subjectLabel: z.string().nullable(),
    }),
  ),
}).meta({ id: 'ClassGroupDetail' });

export const ClassGroupsPageSchema = pageSchema(ClassGroupSchema).meta({ id: 'ClassGroupsPage' });

export const ClassGroupsQuerySchema = z.object({
  cursor: CursorSchema.optional(),
  limit: limitSchema(100, 500),
  uai: UaiSchema.optional(),
  state: z.enum(CLASS_GROUP_STATES).optional(),
});

export const ClassGroupKeyParamsSchema = z.object({
  key: z
    .string()
    .min(3)
    .max(200)
    .regex(/^[^\s$/?#]+\$[^\s/?#]+$/, 'expected <structureJointure>$<code>')
    .describe('`<structureJointure>$<code>`.'),
});
