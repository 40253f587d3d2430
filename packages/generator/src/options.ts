import { z } from 'zod';
import { formatDay, parseDay } from './calendar.js';
import { GeneratorErrors } from './errors.js';

/** The options of `generateAcademie` (and of `pnpm aaf-sync generate`). */
export const GenerateOptionsSchema = z
  .object({
    /** Output folder (created when missing; existing files with the same names are replaced). */
    out: z.string().min(1),
    /** Seed of every random choice: the same options give byte-identical files. */
    seed: z.number().int().min(0).max(4294967295),
    /** All persons of the Complet: pupils + relatives + staff (both levels together for `both`). */
    persons: z.number().int().min(50).max(20_000_000),
    /** Number of Delta deliveries on the week days following the Complet. */
    deltas: z.number().int().min(0).max(100).default(0),
    level: z.enum(['2d', '1d', 'both']).default('2d'),
    /** Scope token of file names (`ENT_<SCOPE>_Complet_…`), also the académie name. */
    scope: z
      .string()
      .regex(/^[A-Z0-9-]{1,20}$/, 'upper-case letters, digits and dashes')
      .default('TEST'),
    /**
     * Establishments numbered before this académie's UAIs. Jointures are numbered the same way in
     * every académie (`91NNNN`, persons from 2,000,000), as real AAF jointures are unique only
     * within an académie: a second académie of a regional deployment (another `scope` and
     * `seed`) reuses them, and this offset keeps its UAIs (national) apart from the first's.
     */
    uaiOffset: z.number().int().min(0).max(500_000).optional(),
    /** Date of the Complet, YYYY-MM-DD. */
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
      .refine((d) => isCalendarDay(d), 'not a calendar date')
      .default('2024-09-07'),
    /** Inject the real-world oddities and invalid records listed in the README. */
    quirks: z.boolean().default(false),
    /** Records per file before a new `_NNNN` chunk starts. */
    chunkSize: z.number().int().min(1).max(10_000_000).default(50_000),
    /** Also pack each delivery as `ENT2D.<YYYYMMDD>.Complet.tgz` / `….Delta.tgz`. */
    archive: z.boolean().default(false),
  })
  .strict();

export type GenerateOptionsInput = z.input<typeof GenerateOptionsSchema>;
export type GenerateOptions = z.output<typeof GenerateOptionsSchema>;

/** Validates options, filling defaults; throws GEN_ERR_INVALID_OPTIONS naming every problem. */
export function parseGenerateOptions(input: unknown): GenerateOptions {
  const result = GenerateOptionsSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues
    .map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`)
    .join('; ');
  throw GeneratorErrors.INVALID_OPTIONS({ problems });
}

function isCalendarDay(day: string): boolean {
  const d = parseDay(day);
  return !Number.isNaN(d.getTime()) && formatDay(d) === day;
}
