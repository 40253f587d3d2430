/**
 * Target kinds the calendar knows: the kinds of packages/targets plus `ent`, every pull consumer
 * of the API (the ENT reads /v1/changes). A test checks this list covers every target kind.
 */
export const CALENDAR_TARGET_KINDS = ['ent', 'scribe', 'koxo', 'ad', 'webhook', 'noop'] as const;
export type CalendarTargetKind = (typeof CALENDAR_TARGET_KINDS)[number];

/** Directory profiles (as packages/aaf names them). */
export const PROFILES = ['pupil', 'relative', 'teacher', 'staff'] as const;
export type Profile = (typeof PROFILES)[number];

/** The year-end campaigns. */
export const CAMPAIGN_KINDS = ['departed-pupils', 'empty-groups', 'departed-staff'] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];
