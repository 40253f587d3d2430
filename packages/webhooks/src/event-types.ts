/**
 * Event types a subscription can receive. `account.*` come from person events (and login
 * changes, as `account.updated`), `group.*` from classes and groups, `membership.*` from their
 * memberships, `snapshot.published` once per dispatch window for each establishment whose
 * accounts, groups or memberships changed in it (the cue to pull the snapshot).
 */
export const EVENT_TYPES = [
  'account.created',
  'account.updated',
  'account.departed',
  'account.restored',
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
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** True when `type` is selected by `patterns` (`account.*`, `group.created`; none = all). */
export function wantsType(patterns: readonly string[] | undefined, type: string): boolean {
  if (!patterns || patterns.length === 0) return true;
  const family = type.slice(0, type.indexOf('.'));
  return patterns.some((p) => p === type || p === `${family}.*`);
}
