import { WEBHOOK_EVENT_TYPE_PATTERN } from '@aaf-sync/targets';

/**
 * Event types a subscription can receive. `account.*` come from person events (and login
 * changes, as `account.updated`; `account.disabled` when a relative loses its last legal link
 * or the calendar blocks access, `account.restored` when the blocking ends, `account.created`
 * when a relative gains an account), `group.*` from classes and groups, `membership.*` from
 * their memberships, `snapshot.published` once per dispatch window for each establishment whose
 * accounts, groups or memberships changed in it (the cue to pull the snapshot), and `notice.*`
 * from the notices of the calendar (`notice.<kind>`, e.g. `notice.delivery.missing`: an open
 * list of kinds, hence the family entry).
 */
export const EVENT_TYPES = [
  'account.created',
  'account.updated',
  'account.departed',
  'account.restored',
  'account.disabled',
  'account.deleted',
  'group.created',
  'group.updated',
  'group.departed',
  'group.restored',
  'group.deleted',
  'membership.created',
  'membership.updated',
  'membership.departed',
  'membership.restored',
  'membership.deleted',
  'snapshot.published',
  'notice.*',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * An event type or family a subscription may ask for: `account.created`, `account.*`,
 * `notice.delivery.missing` (notice kinds have dots and hyphens). Declared with the target
 * kinds (packages/targets), which validate stored options.
 */
export const EVENT_TYPE_PATTERN = WEBHOOK_EVENT_TYPE_PATTERN;

/** True when `pattern` names a known type, a family, or a type of an open family (`notice.*`). */
export function isKnownPattern(pattern: string): boolean {
  if (!EVENT_TYPE_PATTERN.test(pattern)) return false;
  const family = `${pattern.slice(0, pattern.indexOf('.'))}.`;
  if (pattern.endsWith('.*')) return EVENT_TYPES.some((t) => t.startsWith(family));
  return EVENT_TYPES.some((t) => t === pattern || t === `${family}*`);
}

/** True when `type` is selected by `patterns` (`account.*`, `group.created`; none = all). */
export function wantsType(patterns: readonly string[] | undefined, type: string): boolean {
  if (!patterns || patterns.length === 0) return true;
  const family = type.slice(0, type.indexOf('.'));
  return patterns.some((p) => p === type || p === `${family}.*`);
}
