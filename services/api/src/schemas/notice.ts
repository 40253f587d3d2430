import { z } from 'zod';
import { CursorSchema, IsoTimeSchema, limitSchema, UaiSchema } from './common.js';

const PersonId = z.coerce
  .number()
  .int()
  .min(1)
  .max(Number.MAX_SAFE_INTEGER)
  .describe("A manager's person id: that manager's inbox (the notices addressed to them).");

export const NoticesQuerySchema = z.object({
  cursor: CursorSchema.optional(),
  limit: limitSchema(50, 500),
  manager: PersonId.optional(),
  kind: z
    .string()
    .regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/)
    .max(100)
    .optional()
    .describe('Only notices of this kind (`delivery.missing`, `groups.warning`…).'),
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .describe('`true`: only the notices the reader has not marked read.'),
});

export const NoticeIdParamsSchema = z.object({
  id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe('Notice id.'),
});

export const NoticeReadQuerySchema = z.object({ manager: PersonId.optional() });

export const NoticeSchema = z
  .object({
    id: z.number().int(),
    kind: z.string().describe('What it is about: `delivery.missing`, `groups.warning`, …'),
    uais: z.array(UaiSchema).describe('Concerned establishments; empty: académie-wide.'),
    managers: z
      .array(z.number().int())
      .nullable()
      .describe('Person ids it is addressed to (group managers); null: the establishments.'),
    title: z.string(),
    body: z.string(),
    data: z.record(z.string(), z.unknown()),
    createdAt: IsoTimeSchema,
    readAt: IsoTimeSchema.nullable().describe('When this reader marked it read (null: unread).'),
  })
  .meta({ id: 'Notice' });

export const NoticesPageSchema = z
  .object({
    items: z.array(NoticeSchema),
    nextCursor: z
      .string()
      .nullable()
      .describe('Pass as `cursor` for the next page; null at the end.'),
  })
  .meta({ id: 'NoticesPage' });
