import { z } from 'zod';
import {
  isTimeZone,
  isValidLocalDate,
  isValidLocalWhen,
  LOCAL_TIME,
  WEEKDAYS,
} from './local-time.js';
import { checkDocument } from './document-checks.js';
import { CALENDAR_TARGET_KINDS, CAMPAIGN_KINDS, PROFILES } from './kinds.js';

/**
 * The calendar document: every date and duration of a school year for one académie. JSON, one
 * document per académie, stored versioned (packages/calendar-store). Local dates and times are
 * read in `timeZone`. The README describes every field; examples/2025-2026.json is the shipped
 * example (the dates of the académie de Poitiers guides).
 */
export const CALENDAR_FORMAT = 'aaf-sync.calendar/1';

/** A calendar date, `YYYY-MM-DD`. */
export const LocalDate = z
  .string()
  .refine(isValidLocalDate, { message: 'expected a date YYYY-MM-DD' })
  .meta({ description: 'A calendar date, YYYY-MM-DD (local to the document time zone).' });

/** A local date (00:00) or date-time, `YYYY-MM-DD[THH:MM]`. */
export const LocalWhen = z
  .string()
  .refine(isValidLocalWhen, { message: 'expected YYYY-MM-DD or YYYY-MM-DDTHH:MM' })
  .meta({
    description: 'YYYY-MM-DD (00:00) or YYYY-MM-DDTHH:MM, local to the document time zone.',
  });

export const LocalTime = z
  .string()
  .refine((v) => LOCAL_TIME.test(v) && Number(v.slice(0, 2)) < 24 && Number(v.slice(3)) < 60, {
    message: 'expected HH:MM',
  });

export const CalendarTargetKind = z.enum(CALENDAR_TARGET_KINDS);
export type CalendarTargetKind = z.infer<typeof CalendarTargetKind>;

export const TargetName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lower-case letters, digits, dot, dash, underscore');

export const Profile = z.enum(PROFILES);
export type Profile = z.infer<typeof Profile>;

const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes');

const Cadence = z.strictObject({
  weekdays: z.array(z.enum(WEEKDAYS)).max(7),
  deadline: z.strictObject({
    afterDays: z.int().min(0).max(7),
    at: LocalTime,
  }),
  onPublicHolidays: z.boolean(),
});

const FeedWindow = z.strictObject({ suspendFrom: LocalWhen, resumeOn: LocalWhen });
const PartialFeedWindow = z.strictObject({
  suspendFrom: LocalWhen.optional(),
  resumeOn: LocalWhen.optional(),
});

const BlockingLimits = z.strictObject({
  earliestStart: LocalWhen,
  latestStart: LocalWhen,
  earliestEnd: LocalWhen,
  latestEnd: LocalWhen,
  messageChange: z.boolean(),
  messageMaxLength: z.int().min(1).max(5000),
});

const BlockingRule = z.strictObject({
  id: Slug,
  profiles: z.array(Profile).min(1),
  start: LocalWhen,
  end: LocalWhen,
  message: z.string().min(1).max(5000),
  limits: BlockingLimits,
});

const Campaign = z.strictObject({
  id: Slug,
  kind: z.enum(CAMPAIGN_KINDS),
  targetKind: CalendarTargetKind,
  /** Only this target of the kind (absent: every target of the kind). */
  target: TargetName.optional(),
  previewOn: LocalWhen,
  runOn: LocalWhen,
  approval: z.enum(['none', 'establishment']),
});

export const CalendarDocumentBase = z.strictObject({
  format: z.literal(CALENDAR_FORMAT),
  academy: z.string().min(1).max(100),
  schoolYear: z.string().regex(/^\d{4}-\d{4}$/, 'expected YYYY-YYYY'),
  timeZone: z.string().refine(isTimeZone, { message: 'unknown IANA time zone' }),
  period: z.strictObject({ from: LocalDate, to: LocalDate }),
  deliveries: z.strictObject({
    delta: Cadence,
    complete: Cadence,
    publicHolidays: z.array(LocalDate).max(100),
  }),
  feed: z.strictObject({
    directory: FeedWindow,
    initialisationComplete: z.strictObject({ expectedFrom: LocalWhen, expectedBy: LocalWhen }),
    targets: z.strictObject({
      default: FeedWindow,
      byKind: z.partialRecord(CalendarTargetKind, PartialFeedWindow).default({}),
      byTarget: z
        .record(TargetName, PartialFeedWindow.extend({ kind: CalendarTargetKind }))
        .default({}),
    }),
  }),
  rentreeBlocking: z.strictObject({
    rules: z.array(BlockingRule).max(8),
    deactivationNoticesSuspendedUntil: LocalWhen.nullable(),
  }),
  campaigns: z.array(Campaign).max(50),
  yearLimitedGroups: z.strictObject({
    warnings: z.array(LocalWhen).max(5),
    deleteOn: LocalWhen,
    summaryOn: LocalWhen,
  }),
  yearTransition: z.strictObject({
    leftoverShare: z.number().gt(0).max(1),
    staleTeachingLinksUntil: LocalWhen,
  }),
  retention: z.strictObject({
    importArchives: z.strictObject({
      maxAgeMonths: z.int().min(1).max(120),
      purgeOn: LocalWhen,
    }),
    credentialExports: z.strictObject({ deleteOn: LocalWhen }),
  }),
});

/** The document with its cross-field checks (dates in order, within the period, limits). */
export const CalendarDocumentSchema = CalendarDocumentBase.superRefine(checkDocument).describe(
  'The school-year calendar of an académie (packages/calendar README).',
);

export type CalendarDocument = z.infer<typeof CalendarDocumentBase>;
export type CalendarDocumentInput = z.input<typeof CalendarDocumentSchema>;
export type BlockingRule = z.infer<typeof BlockingRule>;
export type Campaign = z.infer<typeof Campaign>;
export type FeedWindow = z.infer<typeof FeedWindow>;
