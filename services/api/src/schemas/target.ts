import { PROVISIONING_STATUSES, TARGET_STATES } from '@aaf-sync/db';
import { z } from 'zod';
import { CursorSchema, IsoTimeSchema, limitSchema, pageSchema, UaiSchema } from './common.js';

const kinds = ['noop', 'scribe', 'koxo', 'ad', 'webhook'] as const;
export const TargetNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/)
  .describe('Unique name: lower-case letters, digits, dot, dash, underscore.');

export const TargetParamsSchema = z.object({ name: TargetNameSchema });

const options = z
  .record(z.string(), z.unknown())
  .describe(
    'Settings of the kind (checked against it: TARGETS_ERR_INVALID). noop: {note?}; scribe: ' +
      '{url, baseDn, bindDn}; koxo: {exportDir, shrinkThreshold?, includeRelatives?, ' +
      'primaryGroups?, readBack? {url, baseDn, bindDn, everyMinutes?, missingAfterSyncs?, …}}; ad: {url, baseDn, ' +
      'bindDn, startTls?, tlsInsecure?, tlsCa?, timeoutMs?, poolSize?, profile?}; webhook: {url}.',
  );
const secrets = z
  .record(z.string(), z.unknown())
  .describe(
    'Write-only credentials, stored encrypted and never returned. scribe, koxo, ad: ' +
      '{bindPassword}; webhook: {signingSecret}; noop: {token?}.',
  );

export const TargetCreateSchema = z
  .object({
    kind: z.enum(kinds),
    name: TargetNameSchema,
    uais: z.array(UaiSchema).min(1).max(10_000).describe('Establishments the target serves.'),
    options: options.default({}),
    secrets: secrets.optional(),
  })
  .meta({ id: 'TargetCreate' });

export const TargetPatchSchema = z
  .object({
    uais: z.array(UaiSchema).min(1).max(10_000).optional(),
    options: options.optional().describe('Replaces the options (checked against the kind).'),
    secrets: secrets.optional().describe('Replaces the secrets; `{}` removes them.'),
  })
  .meta({ id: 'TargetPatch' });

export const ConsumerSchema = z
  .object({
    cursor: z.number().int().describe('Every event with seq ≤ cursor was dispatched.'),
    behind: z.number().int().describe('Events after the cursor.'),
    oldestPendingAt: z.string().nullable(),
    lagging: z
      .boolean()
      .describe('More than CHANGES_RETENTION_DAYS behind: it holds the purge back; reset it.'),
    needsReset: z.boolean().describe('Events after the cursor were purged: reset it.'),
    pendingRows: z.number().int(),
    failedRows: z.number().int(),
  })
  .meta({ id: 'TargetConsumer' });

export const TargetSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    kind: z.enum(kinds),
    uais: z.array(z.string()),
    options: z.record(z.string(), z.unknown()),
    state: z.enum(TARGET_STATES),
    hasSecrets: z.boolean().describe('Whether secrets are stored (they are never returned).'),
    secretsKeyId: z.string().nullable().describe('Id of the key that sealed them.'),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    createdBy: z.string(),
    consumer: ConsumerSchema.nullable(),
  })
  .meta({ id: 'Target', description: 'A system that receives accounts (never its secrets).' });

export const TargetsSchema = z.object({ items: z.array(TargetSchema) }).meta({ id: 'Targets' });

export const TargetResetSchema = z
  .object({
    cursor: z.number().int().describe('The cursor after the reset: the head of the log.'),
    rows: z.number().int().describe('Accounts set back to pending (a full reconcile).'),
  })
  .meta({ id: 'TargetReset' });

const provisioningStatus = z.enum(PROVISIONING_STATUSES);

export const TargetStatusSchema = z
  .object({
    name: z.string(),
    kind: z.enum(kinds),
    state: z.enum(TARGET_STATES),
    uais: z.array(z.string()),
    cursor: z.number().int().describe('Every event with seq ≤ cursor was dispatched.'),
    head: z.number().int().describe('Highest event seq of the log (or its purge watermark).'),
    lagEvents: z.number().int().describe('Events after the cursor.'),
    lagSeconds: z.number().describe('Age of the oldest event not yet dispatched (0 at the head).'),
    lagging: z
      .boolean()
      .describe('More than CHANGES_RETENTION_DAYS behind: it holds the purge back; reset it.'),
    needsReset: z.boolean().describe('Events after the cursor were purged: reset it.'),
    rows: z
      .object({
        pending: z.number().int(),
        applied: z.number().int(),
        failed: z.number().int(),
        excluded: z.number().int(),
      })
      .describe('Provisioning rows (accounts) by status.'),
    lastAppliedAt: IsoTimeSchema.nullable().describe('When a batch last changed the target.'),
    lastBatch: z
      .object({ at: IsoTimeSchema, seconds: z.number(), size: z.number().int() })
      .nullable()
      .describe("The worker's last batch: end, duration, rows taken."),
    lastError: z
      .object({ jointure: z.string().nullable(), error: z.string(), at: IsoTimeSchema })
      .nullable()
      .describe('The most recent failure among its failed rows.'),
  })
  .meta({ id: 'TargetStatus' });

export const ProvisioningQuerySchema = z.object({
  status: provisioningStatus.optional(),
  uai: UaiSchema.optional().describe('Only accounts of this establishment (one of the target’s).'),
  cursor: CursorSchema.regex(/^[0-9]{1,18}$/, 'not a cursor of this list').optional(),
  limit: limitSchema(100, 1000),
});

export const ProvisioningRowSchema = z
  .object({
    personId: z.number().int(),
    jointure: z.string().nullable(),
    status: provisioningStatus,
    targetKey: z.string().nullable().describe('The account’s key on the target (DN, login).'),
    present: z.boolean().describe('Whether the target holds an entry for it.'),
    desiredVersion: z.number().int(),
    appliedVersion: z.number().int().nullable(),
    attempts: z.number().int(),
    nextAttemptAt: IsoTimeSchema,
    lastError: z.string().nullable(),
    appliedAt: IsoTimeSchema.nullable(),
    updatedAt: IsoTimeSchema,
  })
  .meta({ id: 'ProvisioningRow' });

export const ProvisioningPageSchema = pageSchema(ProvisioningRowSchema).meta({
  id: 'ProvisioningPage',
});

export const ReconcileQuerySchema = z.object({
  uai: UaiSchema.optional().describe('Only this establishment (one of the target’s).'),
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Only report: nothing is set pending.'),
});

const counts = {
  inSync: z.number().int(),
  toCreate: z.number().int(),
  toUpdate: z.number().int(),
  toDisable: z.number().int(),
  pending: z.number().int().describe('Rows already waiting for the worker (left as they are).'),
  orphans: z.number().int().describe('Entries held that no account explains (never deleted).'),
};

export const ReconcileReportSchema = z
  .object({
    target: z.string(),
    dryRun: z.boolean(),
    uais: z.array(z.string()).describe('The establishments compared.'),
    inventory: z
      .boolean()
      .describe('Whether the driver listed what the target holds (else: provisioning state only).'),
    establishments: z.array(
      z.object({
        uai: z.string().nullable().describe('null: accounts that left them.'),
        ...counts,
      }),
    ),
    totals: z.object(counts),
    differences: z.array(
      z.object({
        personId: z.number().int(),
        jointure: z.string().nullable(),
        uai: z.string().nullable(),
        action: z.enum(['create', 'update', 'disable']),
        key: z.string().nullable(),
        reason: z.string(),
      }),
    ),
    orphans: z.array(z.object({ key: z.string(), uai: z.string().nullable() })),
    marked: z.number().int().describe('Rows set pending (0 on a dry run or when nothing differs).'),
  })
  .meta({ id: 'ReconcileReport' });
