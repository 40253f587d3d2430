export { LifecycleErrors } from './errors.js';
export {
  ACCESS_BLOCK_LOCK,
  syncAccessBlocks,
  type SyncAccessBlocksInput,
  type SyncAccessBlocksResult,
} from './access-blocks.js';
export { blockingEffects } from './blocking-effects.js';
export { campaignSpec, type CampaignSpec } from './campaign-spec.js';
export {
  findCampaign,
  findCampaignByName,
  requireCampaign,
  type CampaignRecord,
} from './campaign.repository.js';
export { previewCampaign, type PreviewResult } from './campaign-preview.js';
export { runCampaign, type RunOptions, type RunResult } from './campaign-run.js';
export { approveCampaign, type ApprovalResult } from './campaign-approval.js';
export {
  campaignItems,
  campaignReport,
  listCampaigns,
  type CampaignCounts,
  type CampaignEstablishment,
  type CampaignItemView,
  type CampaignSummary,
  type OnTarget,
  type TargetPurgeView,
} from './campaign-report.js';
export { campaignEffects } from './campaign-effects.js';
