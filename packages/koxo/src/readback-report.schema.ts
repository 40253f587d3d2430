import { z } from 'zod';

/** One account of an establishment in the read-back report (what we sent, what the AD holds). */
export const ReadBackAccountSchema = z.object({
  jointure: z.string().describe('Our unique id (the AAF jointure), KoXo’s employeeNumber.'),
  personId: z.number().int(),
  name: z.string().describe('Surname and given name, as in the directory.'),
  directoryState: z.enum(['active', 'departed']).describe('The person in the directory now.'),
  listed: z.boolean().describe('Whether the establishment’s current published files list it.'),
  login: z.string().nullable().describe('Our `koxo` login (column 16 of the file).'),
  samAccountName: z.string().nullable().describe('The login the AD holds (last read).'),
  dn: z.string().nullable(),
  homeDirectory: z.string().nullable(),
  enabled: z.boolean().nullable().describe('From userAccountControl (last read).'),
  seenAt: z.string().nullable().describe('When a read-back last found it (ISO time).'),
  missingRuns: z
    .number()
    .int()
    .describe('Consecutive successful read-backs that did not find it (0: found by the last).'),
  missingSince: z.string().nullable(),
});
export type ReadBackAccount = z.output<typeof ReadBackAccountSchema>;

/** An AD entry carrying an employeeNumber the directory does not know. */
export const UnknownAdEntrySchema = z.object({
  employeeNumber: z.string(),
  dn: z.string(),
  samAccountName: z.string().nullable(),
  uai: z.string().nullable().describe('From the target’s `uaiAttribute`, when it has one.'),
});

export const ReadBackRunSchema = z.object({
  id: z.number().int(),
  status: z.enum(['running', 'ok', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable().describe('Why the run failed (AD unreachable, bind refused…).'),
  counts: z.record(z.string(), z.number()),
});
export type ReadBackRunView = z.output<typeof ReadBackRunSchema>;

export const ReadBackEstablishmentSchema = z.object({
  uai: z.string(),
  published: z.number().int().describe('Accounts the target has published at this UAI once.'),
  listed: z.number().int().describe('Accounts its current files list.'),
  found: z.number().int().describe('Of these, found in the AD by the last successful run.'),
  differentLogin: z
    .array(ReadBackAccountSchema)
    .describe('Found, but KoXo named the account differently from our `koxo` login.'),
  missing: z
    .array(ReadBackAccountSchema)
    .describe('Listed, never found, after `missingAfterSyncs` read-backs or more.'),
  deletedInsteadOfDisabled: z
    .array(ReadBackAccountSchema)
    .describe(
      'Found before, absent now: the site deleted the account (orphans must be disabled: ' +
        'SyncDoNotDeleteUsers=1), whether the directory says departed or still active.',
    ),
  disabled: z
    .array(ReadBackAccountSchema)
    .describe('Found disabled; `listed` true means disabled while we still send it.'),
  unknownEntries: z
    .array(UnknownAdEntrySchema)
    .describe(
      'AD entries with an employeeNumber the directory does not know, placed here by uaiAttribute.',
    ),
});
export type ReadBackEstablishment = z.output<typeof ReadBackEstablishmentSchema>;

export const ReadBackReportSchema = z.object({
  target: z.string(),
  missingAfterSyncs: z.number().int(),
  lastRun: ReadBackRunSchema.nullable().describe('The newest run, whatever its outcome.'),
  lastSuccessfulRun: ReadBackRunSchema.nullable().describe('The values below come from it.'),
  establishments: z.array(ReadBackEstablishmentSchema),
  unattributedUnknownEntries: z
    .array(UnknownAdEntrySchema)
    .nullable()
    .describe(
      'Unknown entries no establishment could be given (no uaiAttribute, or a value outside ' +
        'the target): shown to administrators only (null for an establishment key).',
    ),
});
export type ReadBackReport = z.output<typeof ReadBackReportSchema>;
