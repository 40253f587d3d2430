import { GROUP_LIFETIMES, GROUP_SOURCES } from '@aaf-sync/db';
import { z } from 'zod';
import { CursorSchema, IsoTimeSchema, limitSchema, pageSchema, UaiSchema } from './common.js';

export const SchoolYearSchema = z
  .string()
  .regex(/^\d{4}-\d{4}$/, 'expected YYYY-YYYY')
  .refine((v) => Number(v.slice(5)) === Number(v.slice(0, 4)) + 1, 'consecutive years')
  .describe('A school year, `YYYY-YYYY` (consecutive years), e.g. `2025-2026`.');

const PersonIdsSchema = z
  .array(z.number().int().positive())
  .max(5000)
  .describe('Person ids (`id` of GET /v1/persons), active in the establishment.');

const GroupNameSchema = z.string().trim().min(1).max(200);
const DescriptionSchema = z.string().max(2000).nullable();

const GroupPersonSchema = z.object({
  id: z.number().int(),
  givenName: z.string(),
  sn: z.string(),
  profile: z.string(),
});

export const ManagedGroupSchema = z
  .object({
    id: z.number().int(),
    uai: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    lifetime: z
      .enum(GROUP_LIFETIMES)
      .describe('`school-year`: deleted at the end of its school year (the calendar date).'),
    schoolYear: z.string().describe('The school year it was created for.'),
    source: z
      .enum(GROUP_SOURCES)
      .describe('`timetable`: created by a timetable import, deleted at year end without notice.'),
    expiresWithSchoolYear: z
      .string()
      .nullable()
      .describe('The school year at whose end it is deleted; null: unlimited.'),
    extendedUntil: z.string().nullable(),
    createdBy: z.string(),
    createdAt: IsoTimeSchema,
    updatedAt: IsoTimeSchema,
    version: z.number().int(),
    deletedAt: IsoTimeSchema.nullable(),
    managerIds: z.array(z.number().int()),
    memberCount: z.number().int(),
  })
  .meta({ id: 'ManagedGroup' });

export const ManagedGroupDetailSchema = ManagedGroupSchema.extend({
  managers: z.array(GroupPersonSchema),
  members: z.array(GroupPersonSchema),
}).meta({ id: 'ManagedGroupDetail' });

export const ManagedGroupsPageSchema = pageSchema(ManagedGroupSchema).meta({
  id: 'ManagedGroupsPage',
});

export const ManagedGroupsQuerySchema = z.object({
  cursor: CursorSchema.optional(),
  limit: limitSchema(100, 500),
  uai: UaiSchema.optional(),
  deleted: z
    .enum(['true', 'false'])
    .default('false')
    .describe('true: include deleted groups (kept readable).'),
});

export const ManagedGroupIdParamsSchema = z.object({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

export const ManagedGroupCreateSchema = z
  .strictObject({
    uai: UaiSchema,
    name: GroupNameSchema,
    description: DescriptionSchema.optional(),
    lifetime: z.enum(GROUP_LIFETIMES),
    schoolYear: SchoolYearSchema.optional().describe(
      'Default: the school year of today (1 August – 31 July).',
    ),
    source: z.enum(GROUP_SOURCES).default('api'),
    managers: PersonIdsSchema.default([]).describe('Staff of the establishment.'),
    members: PersonIdsSchema.default([]),
  })
  .meta({ id: 'ManagedGroupCreate' });

export const ManagedGroupPatchSchema = z
  .strictObject({
    name: GroupNameSchema.optional(),
    description: DescriptionSchema.optional(),
    lifetime: z.enum(GROUP_LIFETIMES).optional(),
  })
  .meta({ id: 'ManagedGroupPatch' });

export const GroupPeoplePutSchema = z
  .strictObject({ persons: PersonIdsSchema })
  .meta({ id: 'GroupPeoplePut' });

export const ManagedGroupExtendSchema = z
  .strictObject({
    until: SchoolYearSchema.optional().describe(
      'Default: the year after the one the group is limited to.',
    ),
  })
  .meta({ id: 'ManagedGroupExtend' });
