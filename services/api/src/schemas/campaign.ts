import {
  CAMPAIGN_APPROVALS,
  CAMPAIGN_ITEM_STATUSES,
  CAMPAIGN_KIND_VALUES,
  CAMPAIGN_STATES,
  GROUP_PURGE_STATUSES,
} from '@aaf-sync/db';
import { z } from 'zod';
import { IsoTimeSchema, UaiSchema } from './common.js';

export const CampaignParamsSchema = z.object({
  id: z.coerce.number().int().positive().describe('The campaign id (GET /v1/campaigns).'),
});

const Counts = {
  planned: z.number().int().describe('Waiting for the run (or for the establishment approval).'),
  deleted: z.number().int(),
  skipped: z.number().int().describe('Back in the directory, or nothing held on the target.'),
  pendingOnTarget: z
    .number()
    .int()
    .describe('Deleted items the target has not removed yet (its worker applies them).'),
  removedOnTarget: z
    .number()
    .int()
    .describe('Deleted items the target removed (accounts deleted, groups deleted or absent).'),
  keptOnTarget: z
    .number()
    .int()
    .describe('Deleted groups the target kept (members there again, not ours, no groups).'),
  failedOnTarget: z
    .number()
    .int()
    .describe('Deleted groups the target refused to delete too many times.'),
};

export const CampaignSchema = z
  .object({
    id: z.number().int(),
    schoolYear: z.string(),
    name: z.string().describe('The campaign id in the calendar document.'),
    kind: z.enum(CAMPAIGN_KIND_VALUES),
    targetKind: z.string(),
    targetName: z.string().nullable().describe('Only this target of the kind (null: all).'),
    approval: z.enum(CAMPAIGN_APPROVALS),
    previewAt: IsoTimeSchema,
    runAt: IsoTimeSchema,
    state: z.enum(CAMPAIGN_STATES),
    startedAt: IsoTimeSchema.nullable(),
    finishedAt: IsoTimeSchema.nullable(),
    counts: z.object(Counts),
    establishments: z
      .array(
        z.object({
          uai: z.string().nullable(),
          ...Counts,
          approvedBy: z.string().nullable(),
          approvedAt: IsoTimeSchema.nullable(),
        }),
      )
      .describe("Per establishment (a scoped key: its own); the campaign's execution report."),
  })
  .meta({ id: 'Campaign' });

export const CampaignsSchema = z.object({ items: z.array(CampaignSchema) });

export const CampaignPreviewQuerySchema = z.object({
  uai: UaiSchema.optional().describe('One establishment (a scoped key: one of its own).'),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  offset: z.coerce.number().int().min(0).default(0),
});

export const CampaignPreviewSchema = z
  .object({
    campaign: CampaignSchema,
    items: z.array(
      z.object({
        target: z.string(),
        targetKind: z.string(),
        subject: z.string().describe('`person:<id>` or `group:<id>`.'),
        personId: z.number().int().nullable(),
        classGroupId: z.number().int().nullable(),
        uai: z.string().nullable(),
        label: z.string().describe('Who (name, profile, jointure) or which group.'),
        targetKey: z.string().nullable().describe('The entry on the target (DN, login).'),
        status: z.enum(CAMPAIGN_ITEM_STATUSES),
        reason: z.string().nullable(),
        doneAt: IsoTimeSchema.nullable(),
        onTarget: z
          .enum(['pending', 'removed', 'recorded'])
          .nullable()
          .describe(
            'For deleted items: removed by the target, pending, or recorded (a group the ' +
              'target did not delete: see targetPurge).',
          ),
        targetPurge: z
          .object({
            status: z.enum(GROUP_PURGE_STATUSES),
            reason: z.string().nullable().describe('Why it was kept, or `not on the target`.'),
            attempts: z.number().int(),
            lastError: z.string().nullable().describe('Last refusal or outage (retried).'),
            doneAt: IsoTimeSchema.nullable(),
          })
          .nullable()
          .describe("Groups: their deletion on the target (the targets process's)."),
      }),
    ),
  })
  .meta({ id: 'CampaignPreview' });

export const CampaignApproveSchema = z.object({ uai: UaiSchema });

export const CampaignApprovalSchema = z
  .object({
    campaignId: z.number().int(),
    uai: z.string(),
    approvedBy: z.string(),
    approvedAt: IsoTimeSchema,
    items: z.number().int().describe('Items of the list when it was approved.'),
    created: z.boolean().describe('False: the establishment had already approved.'),
    run: z
      .object({ deleted: z.number().int(), skipped: z.number().int(), waiting: z.number().int() })
      .nullable()
      .describe("Run at once when the campaign's date has passed; otherwise at the run date."),
  })
  .meta({ id: 'CampaignApproval' });
