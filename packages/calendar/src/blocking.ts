import type { BlockingRule, CalendarDocument } from './document.schema.js';
import { CalendarErrors } from './errors.js';
import type { Profile } from './kinds.js';
import { localToInstant } from './local-time.js';

/**
 * What an establishment's principal changed in the rentrée blocking: an earlier end lifts it
 * early or shortens it, a later end extends it, a start moves it, a message replaces the
 * académie one. It applies to every rule of the document, each within its own limits.
 */
export interface BlockingOverride {
  readonly start?: Date | null | undefined;
  readonly end?: Date | null | undefined;
  readonly message?: string | null | undefined;
}

export interface EffectiveBlocking {
  readonly rule: string;
  readonly profiles: readonly Profile[];
  readonly start: Date;
  readonly end: Date;
  readonly message: string;
  /** `establishment` when a valid override changed something. */
  readonly source: 'calendar' | 'establishment';
}

export interface BlockingState {
  readonly profile: Profile;
  readonly blocked: boolean;
  /** The blocking window that applies to the profile (null: none in the calendar). */
  readonly from: Date | null;
  readonly until: Date | null;
  /** The message shown to blocked users. */
  readonly why: string | null;
  readonly rule: string | null;
  readonly source: 'calendar' | 'establishment' | null;
  /** True when an override exists but is no longer within the document's limits (not applied). */
  readonly overrideIgnored: boolean;
}

const iso = (d: Date) => d.toISOString();

function checkRule(doc: CalendarDocument, rule: BlockingRule, o: BlockingOverride): void {
  const at = (w: string) => localToInstant(w, doc.timeZone);
  const l = rule.limits;
  const profiles = rule.profiles.join(', ');
  const start = o.start ?? at(rule.start);
  const end = o.end ?? at(rule.end);
  if (o.start) {
    const earliest = at(l.earliestStart);
    const latest = at(l.latestStart);
    if (o.start < earliest || o.start > latest) {
      throw CalendarErrors.BLOCKING_START_OUTSIDE_LIMITS({
        profiles,
        earliest: iso(earliest),
        latest: iso(latest),
        start: iso(o.start),
      });
    }
  }
  if (o.end) {
    const earliest = at(l.earliestEnd);
    const latest = at(l.latestEnd);
    if (o.end < earliest) {
      throw CalendarErrors.BLOCKING_END_TOO_EARLY({
        profiles,
        limit: iso(earliest),
        end: iso(o.end),
      });
    }
    if (o.end > latest) {
      throw CalendarErrors.BLOCKING_END_TOO_LATE({ profiles, limit: iso(latest), end: iso(o.end) });
    }
  }
  if (start > end)
    throw CalendarErrors.BLOCKING_START_AFTER_END({ start: iso(start), end: iso(end) });
  if (o.message != null) {
    if (!l.messageChange) throw CalendarErrors.MESSAGE_LOCKED({ profiles });
    if (o.message.length > l.messageMaxLength) {
      throw CalendarErrors.MESSAGE_TOO_LONG({ length: o.message.length, max: l.messageMaxLength });
    }
  }
}

/**
 * Checks a principal's override against the limits of every blocking rule of the document and
 * returns it normalised (empty message → none). Throws a CALENDAR_ERR_* naming the broken limit.
 */
export function validateBlockingOverride(
  doc: CalendarDocument,
  override: BlockingOverride,
): BlockingOverride {
  if (doc.rentreeBlocking.rules.length === 0) throw CalendarErrors.NO_BLOCKING();
  const o: BlockingOverride = {
    start: override.start ?? null,
    end: override.end ?? null,
    message: override.message?.trim() ? override.message.trim() : null,
  };
  if (!o.start && !o.end && !o.message) throw CalendarErrors.OVERRIDE_EMPTY();
  for (const rule of doc.rentreeBlocking.rules) checkRule(doc, rule, o);
  return o;
}

function isValid(doc: CalendarDocument, override: BlockingOverride): boolean {
  try {
    validateBlockingOverride(doc, override);
    return true;
  } catch {
    return false;
  }
}

/** The blocking windows after an establishment's override (ignored when out of limits). */
export function effectiveBlockings(
  doc: CalendarDocument,
  override?: BlockingOverride | null,
): EffectiveBlocking[] {
  const o = override && isValid(doc, override) ? override : null;
  return doc.rentreeBlocking.rules.map((rule) => ({
    rule: rule.id,
    profiles: rule.profiles,
    start: o?.start ?? localToInstant(rule.start, doc.timeZone),
    end: o?.end ?? localToInstant(rule.end, doc.timeZone),
    message: o?.message ?? rule.message,
    source: o ? 'establishment' : 'calendar',
  }));
}

/**
 * Whether a profile is blocked at `at` in an establishment (its override, if any, applied):
 * blocked from `start` (included) to `end` (excluded), with the message as the reason.
 */
export function blockingState(
  doc: CalendarDocument,
  profile: Profile,
  at: Date,
  override?: BlockingOverride | null,
): BlockingState {
  const ignored = !!override && !isValid(doc, override);
  const b = effectiveBlockings(doc, override).find((e) => e.profiles.includes(profile));
  if (!b) {
    return {
      profile,
      blocked: false,
      from: null,
      until: null,
      why: null,
      rule: null,
      source: null,
      overrideIgnored: ignored,
    };
  }
  const blocked = b.start <= at && at < b.end;
  return {
    profile,
    blocked,
    from: b.start,
    until: b.end,
    why: blocked ? b.message : null,
    rule: b.rule,
    source: b.source,
    overrideIgnored: ignored,
  };
}
