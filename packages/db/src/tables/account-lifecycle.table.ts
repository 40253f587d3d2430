import type { Generated, Selectable } from 'kysely';
import type { ClassGroupKind, Profile } from './directory.table.js';
import type { Timestamp } from './import.table.js';

/** Where an access block's dates come from: the académie calendar or the establishment's override. */
export const ACCESS_BLOCK_SOURCES = ['calendar', 'establishment'] as const;
export type AccessBlockSource = (typeof ACCESS_BLOCK_SOURCES)[number];

/** A profile of an establishment blocked now by the rentrée blocking (migration 0022). */
export interface AccessBlockTable {
  uai: string;
  profile: Profile;
  since: Date;
  until: Date;
  /** The message shown to blocked users. */
  why: string;
  /** The calendar's blocking rule id. */
  rule: string;
  source: AccessBlockSource;
  /** The transition (or `api:<actor>`) that wrote the row last. */
  transition_id: string | null;
  changed_at: Generated<Date>;
}

/** The same list as packages/calendar CAMPAIGN_KINDS (a test keeps them equal). */
export const CAMPAIGN_KIND_VALUES = ['departed-pupils', 'empty-groups', 'departed-staff'] as const;
export type CampaignKindName = (typeof CAMPAIGN_KIND_VALUES)[number];
export const CAMPAIGN_APPROVALS = ['none', 'establishment'] as const;
export type CampaignApproval = (typeof CAMPAIGN_APPROVALS)[number];
export const CAMPAIGN_STATES = ['previewed', 'running', 'done'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];
export const CAMPAIGN_ITEM_STATUSES = ['planned', 'deleted', 'skipped'] as const;
export type CampaignItemStatus = (typeof CAMPAIGN_ITEM_STATUSES)[number];

/** A year-end deletion campaign of the calendar, for one school year (migration 0023). */
export interface CampaignTable {
  id: Generated<number>;
  school_year: string;
  /** The campaign id in the calendar document. */
  name: string;
  kind: CampaignKindName;
  target_kind: string;
  target_name: string | null;
  approval: CampaignApproval;
  preview_at: Date;
  run_at: Date;
  state: Generated<CampaignState>;
  previewed_at: Generated<Date>;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

/** One account (or group) a campaign deletes on one target. */
export interface CampaignItemTable {
  campaign_id: number;
  target_id: number;
  /** `person:<id>` or `group:<id>`. */
  subject: string;
  person_id: number | null;
  class_group_id: number | null;
  uai: string | null;
  /** Who or what, for people reading the preview (name and login, or group code). */
  label: string;
  target_key: string | null;
  status: Generated<CampaignItemStatus>;
  reason: string | null;
  done_at: Timestamp | null;
}

/** An establishment's approval of a campaign's list (departed staff). */
export interface CampaignApprovalTable {
  campaign_id: number;
  uai: string;
  approved_by: string;
  approved_at: Generated<Date>;
  /** How many items the approved list held. */
  items: number;
}

export const GROUP_PURGE_STATUSES = ['pending', 'deleted', 'skipped', 'failed'] as const;
export type GroupPurgeStatus = (typeof GROUP_PURGE_STATUSES)[number];

/**
 * A group an empty-groups campaign deleted, to delete on one target (migration 0027): filled by
 * the campaign run, worked by the targets process through its driver's `purgeGroups`.
 */
export interface GroupPurgeTable {
  campaign_id: number;
  target_id: number;
  /** The campaign item's subject (`group:<class_group id>`). */
  subject: string;
  uai: string;
  kind: ClassGroupKind;
  code: string;
  status: Generated<GroupPurgeStatus>;
  /** Why it was kept (skipped) or how it ended (`not on the target`). */
  reason: string | null;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_error: string | null;
  created_at: Generated<Date>;
  done_at: Timestamp | null;
}

export type AccessBlock = Selectable<AccessBlockTable>;
export type CampaignRow = Selectable<CampaignTable>;
export type CampaignItemRow = Selectable<CampaignItemTable>;
export type CampaignApprovalRow = Selectable<CampaignApprovalTable>;
export type GroupPurgeRow = Selectable<GroupPurgeTable>;
