import { z } from 'zod';
import {
  AafKeySchema,
  CategorySchema,
  CursorSchema,
  IsoTimeSchema,
  JsonObjectSchema,
  LevelSchema,
  limitSchema,
  PersonStateSchema,
  ProfileSchema,
  UaiSchema,
} from './common.js';

const personal = (s: z.ZodType) => s.optional().describe('Personal: only for accounts:read/admin.');

export const PersonSchema = z
  .object({
    id: z.number().int(),
    jointure: z
      .string()
      .describe(
        'AAF jointure (ENTPersonJointure): the identity of the person within its académie scope.',
      ),
    scope: z
      .string()
      .describe('Académie scope of the files that feed the person (`-`: files without one).'),
    category: CategorySchema,
    profile: ProfileSchema,
    level: LevelSchema,
    givenName: z.string(),
    sn: z.string(),
    civility: z.string().nullable(),
    primaryStructure: z.string().nullable(),
    state: PersonStateSchema,
    departedAt: IsoTimeSchema.nullable(),
    version: z.number().int().describe('Compare with the `version` of feed events.'),
    updatedAt: IsoTimeSchema,
    birthName: personal(z.string().nullable()),
    birthDate: personal(z.string().nullable()),
    ine: personal(z.string().nullable()),
    mail: personal(z.string().nullable()),
    details: personal(JsonObjectSchema),
  })
  .meta({ id: 'Person' });

export const PersonsQuerySchema = z.object({
  cursor: CursorSchema.optional(),
  limit: limitSchema(100, 1000),
  uai: UaiSchema.optional().describe('Persons attached to this establishment.'),
  profile: ProfileSchema.optional(),
  state: PersonStateSchema.optional(),
  class: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'Members of a class or group: its key `<structureJointure>$<code>`, or its code with `uai`.',
    ),
  q: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('Words of the name or given name (case and accents ignored).'),
});

export const PersonsPageSchema = z
  .object({
    items: z.array(PersonSchema),
    nextCursor: z.string().nullable(),
    feedCursor: z
      .string()
      .describe(
        'The change-feed position of this snapshot (of its first page): follow ' +
          'GET /v1/changes?cursor=<feedCursor> to stay in sync.',
      ),
  })
  .meta({ id: 'PersonsPage' });

export const JointureParamsSchema = z.object({ jointure: AafKeySchema });
