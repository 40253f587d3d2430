import { CalendarDocumentBase, TRANSITION_TYPES } from '@aaf-sync/calendar';
import { z } from 'zod';
import { IsoTimeSchema, ProfileSchema, UaiSchema } from './common.js';

/** The document as the API returns it (validated when it was stored). */
export const CalendarDocumentSchema = CalendarDocumentBase.meta({
  id: 'CalendarDocument',
  description:
    'The school-year calendar of the académie (format `aaf-sync.calendar/1`, every field in the ' +
    'packages/calendar README). Local dates are YYYY-MM-DD or YYYY-MM-DDTHH:MM in `timeZone`.',
});

export const CalendarSchema = z
  .object({
    version: z
      .number()
      .int()
      .describe('Version of the document (1, 2, …; the highest is current).'),
    changedBy: z.string().describe('`key:<id>` or `cli:<user>`.'),
    changedAt: IsoTimeSchema,
    comment: z.string().nullable(),
    document: CalendarDocumentSchema,
  })
  .meta({ id: 'Calendar' });

export const CalendarQuerySchema = z.object({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe('An older version (default: current).'),
});

export const CalendarPutSchema = z
  .object({
    document: z
      .record(z.string(), z.unknown())
      .describe(
        'The whole calendar document (CalendarDocument). It is checked as a whole: every problem ' +
          'is listed in `errors` of a 400 CALENDAR_ERR_INVALID_DOCUMENT.',
      ),
    expectedVersion: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe(
        'The version this change was prepared from (0: none stored yet); another current version ' +
          'answers 409 CALENDAR_ERR_VERSION_CONFLICT. Absent: no check.',
      ),
    comment: z.string().max(500).optional().describe('Why (kept with the version).'),
  })
  .meta({ id: 'CalendarPut' });

const ChangeSchema = z.object({
  path: z.string().describe('Dotted path of the changed field (`campaigns.2.runOn`).'),
  before: z.unknown(),
  after: z.unknown(),
});

export const CalendarSavedSchema = z
  .object({
    version: z.number().int(),
    stored: z.boolean().describe('False when the document equals the current one.'),
    changes: z.array(ChangeSchema),
    overridesOutsideLimits: z
      .array(UaiSchema)
      .describe('Establishments whose blocking override the new limits void (now ignored).'),
  })
  .meta({ id: 'CalendarSaved' });

export const CalendarVersionsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().min(1).optional().describe('Only versions below this one.'),
});

export const CalendarVersionsSchema = z
  .object({
    items: z.array(
      z.object({
        version: z.number().int(),
        changedBy: z.string(),
        changedAt: IsoTimeSchema,
        comment: z.string().nullable(),
        changes: z.array(ChangeSchema),
      }),
    ),
  })
  .meta({ id: 'CalendarVersions' });

export const UpcomingQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(400).default(30).describe('How far ahead (1-400).'),
  deliveries: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
    .describe('Include the deadlines of the expected AAF files.'),
});

export const TransitionSchema = z
  .object({
    id: z
      .string()
      .describe('Stable id `<schoolYear>/<type>/<subject>` (no date, except for deliveries).'),
    at: IsoTimeSchema,
    type: z.enum(TRANSITION_TYPES),
    scope: z
      .object({
        consumer: z.string().optional().describe('`directory` or a target kind.'),
        target: z.string().optional().describe('One named target.'),
        uai: z.string().optional().describe('One establishment.'),
        exceptUais: z.array(z.string()).optional(),
        exceptTargets: z.array(z.string()).optional(),
      })
      .describe('Who it concerns; absent fields: everybody.'),
    summary: z.string(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'CalendarTransition' });

export const UpcomingSchema = z
  .object({
    calendarVersion: z.number().int(),
    schoolYear: z.string(),
    timeZone: z.string(),
    from: IsoTimeSchema,
    to: IsoTimeSchema,
    transitions: z.array(TransitionSchema),
  })
  .meta({ id: 'CalendarUpcoming' });

const When = z
  .string()
  .describe(
    'An ISO 8601 instant with its offset (`2025-08-28T08:00:00+02:00`), a local date-time of ' +
      'the calendar (`2025-08-28T08:00`), or `now`.',
  );

export const BlockingPutSchema = z
  .object({
    start: When.optional().describe('Move the start (within the limits).'),
    end: When.optional().describe(
      'Lift early / shorten (earlier) or extend (later), within the limits.',
    ),
    message: z.string().max(5000).optional().describe('The message shown to blocked users.'),
  })
  .meta({ id: 'BlockingOverridePut' });

export const EstablishmentBlockingSchema = z
  .object({
    uai: UaiSchema,
    calendarVersion: z.number().int(),
    override: z
      .object({
        start: IsoTimeSchema.nullable(),
        end: IsoTimeSchema.nullable(),
        message: z.string().nullable(),
        calendarVersion: z.number().int(),
        changedBy: z.string(),
        changedAt: IsoTimeSchema,
      })
      .nullable(),
    profiles: z.array(
      z.object({
        profile: ProfileSchema,
        blocked: z.boolean(),
        from: IsoTimeSchema.nullable(),
        until: IsoTimeSchema.nullable(),
        why: z.string().nullable().describe('The message shown while blocked.'),
        rule: z.string().nullable(),
        source: z.enum(['calendar', 'establishment']).nullable(),
        overrideIgnored: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'EstablishmentBlocking' });

export const EstablishmentFeedSchema = z
  .object({
    uai: UaiSchema,
    at: IsoTimeSchema,
    calendarVersion: z.number().int(),
    initialisationAppliedAt: IsoTimeSchema.nullable().describe(
      'When its initialisation complete of the new year was applied (the first complete dated from ' +
        '`feed.initialisationComplete.expectedFrom` that changed it); null: not yet.',
    ),
    consumers: z.array(
      z.object({
        consumer: z
          .string()
          .describe(
            '`directory`, a target kind (`ent`: the API pull consumers), or `target:<name>`.',
          ),
        state: z.enum(['off', 'waiting-initialisation', 'open']),
        since: IsoTimeSchema.nullable(),
        until: IsoTimeSchema.nullable().describe(
          'When the calendar changes it (null: on an event).',
        ),
        reason: z.string(),
        window: z.object({ suspendFrom: z.string(), resumeOn: z.string(), source: z.string() }),
      }),
    ),
  })
  .meta({ id: 'EstablishmentFeed' });

export const DeliveriesQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(400).default(14).describe('How many days back (1-400).'),
});

export const DeliveriesSchema = z
  .object({
    calendarVersion: z.number().int(),
    from: IsoTimeSchema,
    to: IsoTimeSchema,
    missing: z.number().int().describe('Expected files not received after their deadline.'),
    items: z.array(
      z.object({
        kind: z.enum(['delta', 'complete']),
        date: z.string().describe('The day of the changes (the file date).'),
        deadline: IsoTimeSchema,
        received: z.boolean(),
        missing: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'CalendarDeliveries' });

export const TransitionLogQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  failing: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .describe('`true`: only the transitions that failed and wait for their retry.'),
});

export const TransitionLogSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string().describe('The transition id, `<schoolYear>/<type>/<subject>`.'),
        type: z.enum(TRANSITION_TYPES),
        dueAt: IsoTimeSchema,
        calendarVersion: z.number().int().nullable(),
        startedAt: IsoTimeSchema.nullable(),
        doneAt: IsoTimeSchema.nullable().describe('Null: failed, retried at `nextAttemptAt`.'),
        outcome: z.record(z.string(), z.unknown()).nullable(),
        attempts: z.number().int(),
        lastError: z.record(z.string(), z.unknown()).nullable(),
        nextAttemptAt: IsoTimeSchema.nullable(),
      }),
    ),
  })
  .meta({ id: 'CalendarTransitionLog' });
