import { UAI_PATTERN } from '@aaf-sync/aaf';
import {
  CLASS_GROUP_KINDS,
  LEVELS,
  PERSON_CATEGORIES,
  PERSON_STATES,
  PROFILES,
} from '@aaf-sync/db';
import { z } from 'zod';

export { UAI_PATTERN };

export const UaiSchema = z
  .string()
  .regex(UAI_PATTERN, 'a UAI is 7 digits and a letter')
  .describe('UAI of an establishment (7 digits and a letter), e.g. `0990001N`.');

/** An AAF key (jointure or code): printable, no spaces, bounded. */
export const AafKeySchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\s/?#\p{Cc}]+$/u, 'no spaces, slashes, ? # or control characters');

export const CursorSchema = z
  .string()
  .min(1)
  .max(512)
  .describe('Opaque cursor: the `nextCursor` of the previous page.');

/** `limit` query parameter: a page size between 1 and `max`. */
export function limitSchema(defaultValue: number, max: number) {
  return z.coerce
    .number()
    .int()
    .min(1)
    .max(max)
    .default(defaultValue)
    .describe(`Page size (1-${max}, default ${defaultValue}).`);
}

export const IsoTimeSchema = z.string().describe('ISO 8601 timestamp (UTC).');
export const DateSchema = z.string().describe('Date, YYYY-MM-DD.');
export const JsonObjectSchema = z.record(z.string(), z.unknown());

/** A page of items with the cursor of the next page (null at the end). */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .describe('Pass as `cursor` for the next page; null at the end.'),
  });
}

export const ProfileSchema = z.enum(PROFILES);
export const CategorySchema = z.enum(PERSON_CATEGORIES);
export const PersonStateSchema = z.enum(PERSON_STATES);
export const LevelSchema = z.enum(LEVELS);
export const ClassGroupKindSchema = z.enum(CLASS_GROUP_KINDS);
