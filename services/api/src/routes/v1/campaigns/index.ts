import {
  approveCampaign,
  campaignItems,
  campaignReport,
  listCampaigns,
  type CampaignSummary,
} from '@aaf-sync/account-lifecycle';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf, assertUaiInScope } from '../../../auth/principal.js';
import {
  CampaignApprovalSchema,
  CampaignApproveSchema,
  CampaignParamsSchema,
  CampaignPreviewQuerySchema,
  CampaignPreviewSchema,
  CampaignSchema,
  CampaignsSchema,
} from '../../../schemas/campaign.js';
import { problemResponses } from '../../../schemas/problem.js';
import { principalOf } from '../../../types.js';

/** Lists name persons: admin, or accounts:read (an establishment-scoped key: its own). */
const READ = { auth: { anyOf: ['admin', 'accounts:read'] } } as const;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function campaignView(c: CampaignSummary) {
  return {
    id: c.id,
    schoolYear: c.schoolYear,
    name: c.name,
    kind: c.kind,
    targetKind: c.targetKind,
    targetName: c.targetName,
    approval: c.approval,
    previewAt: c.previewAt.toISOString(),
    runAt: c.runAt.toISOString(),
    state: c.state,
    startedAt: iso(c.startedAt),
    finishedAt: iso(c.finishedAt),
    counts: c.counts,
    establishments: c.establishments.map((e) => ({ ...e, approvedAt: iso(e.approvedAt) })),
  };
}

/**
 * /v1/campaigns: the year-end deletion campaigns of the calendar (packages/account-lifecycle):
 * their preview (who, on which target, when), the establishments' approvals of departed-staff
 * lists, and the execution report. An establishment-scoped key sees and approves its own only.
 */
const campaigns: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '',
    {
      config: READ,
      schema: {
        tags: ['calendar'],
        operationId: 'listCampaigns',
        summary: 'Deletion campaigns with their counts per establishment (execution report)',
        response: { 200: CampaignsSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return { items: (await listCampaigns(app.db, principal.uais)).map(campaignView) };
    },
  );

  app.get(
    '/:id',
    {
      config: READ,
      schema: {
        tags: ['calendar'],
        operationId: 'getCampaign',
        summary: 'One campaign: state, counts, approvals per establishment',
        params: CampaignParamsSchema,
        response: { 200: CampaignSchema, ...problemResponses(404) },
      },
    },
    async (request) =>
      campaignView(await campaignReport(app.db, request.params.id, principalOf(request).uais)),
  );

  app.get(
    '/:id/preview',
    {
      config: READ,
      schema: {
        tags: ['calendar'],
        operationId: 'getCampaignPreview',
        summary: 'What a campaign deletes: who, on which target, in which establishment, status',
        params: CampaignParamsSchema,
        querystring: CampaignPreviewQuerySchema,
        response: { 200: CampaignPreviewSchema, ...problemResponses(403, 404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { uai, limit, offset } = request.query;
      assertUaiInScope(principal, uai);
      const uais = uai ? [uai] : principal.uais;
      const campaign = await campaignReport(app.db, request.params.id, uais);
      const items = await campaignItems(app.db, request.params.id, uais, { limit, offset });
      return {
        campaign: campaignView(campaign),
        items: items.map((i) => ({
          ...i,
          doneAt: iso(i.doneAt),
          targetPurge: i.targetPurge && { ...i.targetPurge, doneAt: iso(i.targetPurge.doneAt) },
        })),
      };
    },
  );

  app.post(
    '/:id/approve',
    {
      config: { auth: { anyOf: ['admin'] }, audit: 'campaigns.approve' },
      schema: {
        tags: ['calendar'],
        operationId: 'approveCampaign',
        summary: "An establishment approves a campaign's list (departed staff)",
        description:
          'Nothing of a campaign with `approval: establishment` is deleted in an establishment ' +
          'before it approves. An approval after the run date runs its items at once. Idempotent. ' +
          'An admin key of the establishment (or an académie-wide one).',
        params: CampaignParamsSchema,
        body: CampaignApproveSchema,
        response: { 200: CampaignApprovalSchema, ...problemResponses(400, 403, 404, 409) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { uai } = request.body;
      assertUaiInScope(principal, uai);
      request.auditDetails = { campaign: request.params.id, uai };
      const a = await approveCampaign(
        app.db,
        request.params.id,
        uai,
        actorOf(principal),
        app.clock.now(),
      );
      return {
        campaignId: a.campaignId,
        uai: a.uai,
        approvedBy: a.approvedBy,
        approvedAt: a.approvedAt.toISOString(),
        items: a.items,
        created: a.created,
        run: a.run
          ? { deleted: a.run.deleted, skipped: a.run.skipped, waiting: a.run.waiting }
          : null,
      };
    },
  );
};

export default campaigns;
