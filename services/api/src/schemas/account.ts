import {
  CLASS_GROUP_STATES,
  IDENTIFIER_STATUSES,
  PERSON_ALIAS_REASONS,
  IMPORT_KINDS,
  TARGET_KINDS,
  TARGET_STATES,
} from '@aaf-sync/db';
import { z } from 'zod';
import { FeedItemSchema } from './change.js';
import {
  CategorySchema,
  ClassGroupKindSchema,
  CursorSchema,
  DateSchema,
  IsoTimeSchema,
  JsonObjectSchema,
  LevelSchema,
  limitSchema,
  PersonStateSchema,
  ProfileSchema,
} from './common.js';

const LinkSchema = z.object({
  jointure: z.string(),
  givenName: z.string().nullable(),
  sn: z.string().nullable(),
  relationship: z.string().nullable().describe('BCN code: 10 mother, 20 father…'),
  legal: z.number().int().nullable().describe('1 legal representative, 2 person in charge.'),
  financial: z.boolean().nullable(),
  contact: z.boolean().nullable(),
  payment: z.boolean().nullable(),
  hasAccount: z
    .boolean()
    .nullable()
    .describe(
      'Whether the linked person holds an account: a relative only while legal representative or person in charge (RELATIVE_ACCOUNT_LEGAL_CODES) of an active pupil; otherwise a contact.',
    ),
});

export const AccountSchema = z
  .object({
    id: z.number().int(),
    jointure: z.string(),
    scope: z
      .string()
      .describe('Académie scope of the files that feed the person (`-`: files without one).'),
    identity: z.object({
      category: CategorySchema,
      profile: ProfileSchema,
      level: LevelSchema,
      civility: z.string().nullable(),
      givenName: z.string(),
      sn: z.string(),
      birthName: z.string().nullable(),
      birthDate: DateSchema.nullable(),
      ine: z.string().nullable(),
      mail: z.string().nullable(),
    }),
    lifecycle: z.object({
      state: PersonStateSchema,
      departedAt: IsoTimeSchema.nullable().describe('When the person left the AAF (departed).'),
      createdAt: IsoTimeSchema,
      updatedAt: IsoTimeSchema,
      version: z.number().int(),
      hasAccount: z
        .boolean()
        .describe(
          'False for a relative who is only a contact of its pupils: no identifiers allocated by it, no establishment, not sent to targets.',
        ),
    }),
    establishments: z.array(
      z.object({
        jointure: z.string(),
        uai: z.string().nullable(),
        name: z.string().nullable(),
        primary: z.boolean(),
        since: IsoTimeSchema,
      }),
    ),
    memberships: z.array(
      z.object({
        kind: ClassGroupKindSchema,
        key: z.string(),
        structureJointure: z.string(),
        uai: z.string().nullable(),
        code: z.string(),
        label: z.string(),
        state: z.enum(CLASS_GROUP_STATES),
        since: IsoTimeSchema,
      }),
    ),
    teaching: z.array(
      z.object({
        kind: ClassGroupKindSchema,
        structureJointure: z.string(),
        code: z.string(),
        subjectCode: z.string(),
        classGroupState: z
          .enum(['active', 'empty'])
          .nullable()
          .describe('null: the class or group does not exist (stale link).'),
      }),
    ),
    functions: z.array(
      z.object({
        structureJointure: z.string(),
        code: z.string(),
        label: z.string(),
        disciplineCode: z.string(),
        disciplineLabel: z.string(),
      }),
    ),
    direction: z
      .array(z.object({ structureJointure: z.string(), uai: z.string().nullable() }))
      .describe(
        'Establishments whose direction the person is part of: ENTEnsFonctionDir, a DIR ' +
          'function or a direction label (1D).',
      ),
    relations: z.object({
      relatives: z.array(LinkSchema).describe("A pupil's relatives."),
      pupils: z.array(LinkSchema).describe("A relative's pupils."),
    }),
    identifiers: z
      .record(
        z.string(),
        z.array(
          z.object({
            value: z.string(),
            status: z.enum(IDENTIFIER_STATUSES),
            createdAt: IsoTimeSchema,
            retiredAt: IsoTimeSchema.nullable(),
          }),
        ),
      )
      .describe('Login identifiers by namespace (educonnect, scribe, koxo…), the primary first.'),
    formerJointures: z
      .array(
        z.object({
          jointure: z.string(),
          reason: z.enum(PERSON_ALIAS_REASONS),
          importId: z.number().int().nullable(),
          since: IsoTimeSchema,
        }),
      )
      .describe(
        'Jointures the person was known by before (`ine`: a pupil found again by its INE under ' +
          'a new jointure, 1D → 2D or a move between académies). The account is found by them too.',
      ),
    details: JsonObjectSchema.describe('Contact and schooling details from the last import.'),
    lastChange: z
      .object({
        import: z
          .object({
            id: z.number().int(),
            kind: z.enum(IMPORT_KINDS),
            scope: z.string(),
            level: LevelSchema,
            fileDate: DateSchema,
            deliveryName: z.string(),
            status: z.string(),
            createdAt: IsoTimeSchema,
            finishedAt: IsoTimeSchema.nullable(),
          })
          .nullable(),
        file: z
          .object({
            id: z.number().int(),
            name: z.string(),
            entity: z.string(),
            kind: z.string(),
            fileDate: DateSchema,
          })
          .nullable(),
      })
      .nullable()
      .describe(
        'The import and AAF file that last changed this account: corrections made in SIECLE ' +
          'take 1-3 days to arrive; this shows whether they did.',
      ),
    provisioning: z
      .array(
        z.object({
          target: z.string(),
          kind: z.enum(TARGET_KINDS),
          targetState: z.enum(TARGET_STATES),
          status: z
            .enum(['pending', 'applied', 'failed', 'excluded'])
            .describe('applied: the target holds the desired version; excluded: not for it.'),
          targetKey: z.string().nullable().describe('The key on the target (DN, login).'),
          present: z.boolean().describe('Whether the target holds an entry for the account.'),
          desiredVersion: z.number().int(),
          appliedVersion: z.number().int().nullable(),
          appliedAt: IsoTimeSchema.nullable().describe('When last applied (or removed).'),
          lastError: z.string().nullable(),
          nextAttemptAt: IsoTimeSchema.describe('When a pending or failed row is tried (again).'),
          readBack: z
            .object({
              samAccountName: z.string().nullable().describe('The login the AD holds.'),
              dn: z.string().nullable(),
              homeDirectory: z.string().nullable(),
              enabled: z.boolean().nullable().describe('From userAccountControl.'),
              seenAt: IsoTimeSchema.nullable().describe('When a read-back last found it.'),
              missingRuns: z
                .number()
                .int()
                .describe('Successful read-backs in a row that did not find it (0: found).'),
              missingSince: IsoTimeSchema.nullable(),
            })
            .nullable()
            .describe(
              'KoXo targets: what the site’s Active Directory holds for the account, as the ' +
                'last read-back found it (values of the last sighting kept while missing).',
            ),
        }),
      )
      .describe(
        'The account on each target that has provisioning state for it; a scoped key sees ' +
          'the targets serving one of its establishments.',
      ),
    access: z
      .object({
        blocked: z.boolean(),
        since: IsoTimeSchema.nullable(),
        until: IsoTimeSchema.nullable().describe('When the blocking ends (the account reopens).'),
        why: z.string().nullable().describe('The message shown to the blocked user.'),
      })
      .describe(
        'The rentrée access blocking (calendar): blocked / until / why. A blocked account is ' +
          'kept but disabled on the targets, and re-enabled when the blocking ends or the ' +
          'principal lifts it.',
      ),
    serverReports: z
      .array(
        z.object({
          reporter: z.string().describe('The pedagogical server (or its subscription) reporting.'),
          uai: z.string(),
          login: z.string().nullable().describe('The login it created.'),
          homePath: z.string().nullable(),
          status: z.string().describe('created, updated, present, disabled, removed or error.'),
          detail: z.string().nullable(),
          reportedAt: IsoTimeSchema,
        }),
      )
      .describe(
        'What pedagogical servers read back after applying a snapshot ' +
          '(POST /v1/snapshots/{uai}/reports); a scoped key sees its establishments’ reports.',
      ),
  })
  .meta({
    id: 'Account',
    description:
      'Account status: named sections. Sections are added over time (access blocking, ' +
      'planned deletions); ignore the ones you do not know.',
  });

/**
 * An account reference as the path gives it, read once here: `id:<n>`, `jointure:<j>`,
 * `<prefix>:<value>` (a namespace, checked against the configuration by the route) or a bare
 * value (internal id, jointure or identifier of any namespace).
 */
export type ParsedAccountRef =
  | { readonly raw: string; readonly by: 'id'; readonly id: number }
  | { readonly raw: string; readonly by: 'jointure'; readonly value: string }
  | {
      readonly raw: string;
      readonly by: 'prefixed';
      readonly prefix: string;
      readonly value: string;
    }
  | { readonly raw: string; readonly by: 'any'; readonly value: string };

export const AccountRefSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\s/?#\p{Cc}]+$/u, 'no spaces, slashes, ? # or control characters')
  .describe(
    'Internal id, jointure or identifier value (any namespace). Prefix with `id:`, ' +
      '`jointure:` or `<namespace>:` when a bare value is ambiguous (409).',
  )
  .transform((raw, ctx): ParsedAccountRef => {
    const match = /^([a-z][a-z0-9_-]*):(.+)$/.exec(raw);
    if (!match) return { raw, by: 'any', value: raw };
    const [, prefix, value] = match as unknown as [string, string, string];
    if (prefix === 'jointure') return { raw, by: 'jointure', value };
    if (prefix !== 'id') return { raw, by: 'prefixed', prefix, value };
    if (/^[0-9]{1,15}$/.test(value)) return { raw, by: 'id', id: Number(value) };
    ctx.issues.push({ code: 'custom', message: 'id: takes digits', input: raw });
    return z.NEVER;
  });

export const AccountParamsSchema = z.object({ id: AccountRefSchema });

/** `?scope=`: the académie scope of the person named (jointures are unique within one only). */
export const AafScopeQuerySchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'an académie scope: letters, digits, _ or -')
  .optional()
  .describe(
    "Académie scope of the person (the account's `scope`, from the AAF file names; `-` for files " +
      'without one). Needed when the reference matches persons of several académies (409).',
  );

export const AccountQuerySchema = z.object({ scope: AafScopeQuerySchema });

export const HistoryQuerySchema = z.object({
  scope: AafScopeQuerySchema,
  cursor: CursorSchema.optional(),
  limit: limitSchema(50, 500),
});

export const HistoryPageSchema = z
  .object({
    items: z.array(FeedItemSchema),
    nextCursor: z.string().nullable().describe('Older events: pass as `cursor`; null at the end.'),
  })
  .meta({ id: 'HistoryPage' });
