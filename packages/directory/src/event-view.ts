import { EVENT_OPS, type ChangeEvent, type PersonCategory } from '@aaf-sync/db';
import { isPublicPersonField, type Audience } from './audience.js';
import {
  structureVisible,
  visibleDetails,
  visibleDetailValue,
  visiblePrimary,
  visibleStructures,
  visibleUais,
} from './establishment-filter.js';
import { isoTime } from './person-view.js';
import type { Reader } from './reader.js';

/**
 * Operations of feed items: the stored ones, and two built for an establishment-scoped reader
 * (see projectEvent): `left`, a tombstone when a person leaves all of its establishments, and
 * `entered` when a person comes into them from elsewhere.
 */
export const FEED_OPS = [...EVENT_OPS, 'left', 'entered'] as const;
export type FeedOp = (typeof FEED_OPS)[number];

/** One item of the change feed (and of an account's history). */
export interface FeedItem {
  readonly seq: number;
  readonly occurredAt: string;
  /** `<entity>.<op>`, e.g. `person.updated`, `membership.deleted`. */
  readonly type: string;
  readonly key: string;
  readonly version: number;
  readonly uais: string[];
  readonly changes: Record<string, unknown>;
  readonly importId: number | null;
}

export type EventRow = Pick<
  ChangeEvent,
  | 'seq'
  | 'occurred_at'
  | 'entity_type'
  | 'entity_key'
  | 'op'
  | 'version'
  | 'uais'
  | 'changes'
  | 'import_id'
> & {
  /** For person events read for a scoped reader (readChanges joins them): the person's id. */
  person_id?: number | null;
  /** …and its category (both go into `person.left` tombstones). */
  person_category?: PersonCategory | null;
};

function pickPublic(value: unknown): { value: unknown; removed: boolean } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { value, removed: false };
  }
  const out: Record<string, unknown> = {};
  let removed = false;
  for (const [k, v] of Object.entries(value)) {
    if (isPublicPersonField(k)) out[k] = v;
    else removed = true;
  }
  return { value: out, removed };
}

/**
 * The `changes` of an event as `audience` may see them. Only person events carry personal
 * fields: for the public audience, `after` and `fields` keep public fields only (see
 * PUBLIC_PERSON_FIELDS), other context keys likewise, and `redacted: true` says something was
 * removed. The event itself is always delivered (its seq and version stay meaningful).
 */
export function redactChanges(
  entityType: string,
  changes: Record<string, unknown>,
  audience: Audience,
): Record<string, unknown> {
  if (audience === 'personal' || entityType !== 'person') return changes;
  const out: Record<string, unknown> = {};
  let redacted = false;
  for (const [k, v] of Object.entries(changes)) {
    if (k === 'after' || k === 'fields') {
      const picked = pickPublic(v);
      out[k] = picked.value;
      redacted ||= picked.removed;
    } else if (isPublicPersonField(k)) {
      out[k] = v;
    } else {
      redacted = true;
    }
  }
  if (redacted) out.redacted = true;
  return out;
}

/** Maps a change_event row to a feed item for `audience`. */
export function eventRowToFeedItem(row: EventRow, audience: Audience): FeedItem {
  return feedItemOf(row, row.uais, row.changes ?? {}, audience);
}

/** The feed item of a row, with the UAIs and changes its reader may see. */
function feedItemOf(
  row: EventRow,
  uais: string[],
  changes: Record<string, unknown>,
  audience: Audience,
): FeedItem {
  return {
    seq: Number(row.seq),
    occurredAt: isoTime(row.occurred_at),
    type: `${row.entity_type}.${row.op}`,
    key: row.entity_key,
    version: row.version,
    uais,
    changes: redactChanges(row.entity_type, changes, audience),
    importId: row.import_id === null ? null : Number(row.import_id),
  };
}

type Pair = readonly [unknown, unknown];

/** JSON with object keys sorted (stored `before` values and new `after` ones differ in order). */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}

function isPair(value: unknown): value is Pair {
  return Array.isArray(value) && value.length === 2;
}

function hasAny(reader: Reader, structures: unknown): boolean {
  return Array.isArray(structures) && structures.some((s) => structureVisible(reader, s));
}

/** `fields` of an update as the reader may see it: null when nothing of it is the reader's. */
function projectFields(
  reader: Reader,
  fields: Record<string, unknown>,
): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const [name, pair] of Object.entries(fields)) {
    if (!isPair(pair)) {
      out[name] = pair;
      continue;
    }
    let project: ((value: unknown) => unknown) | null = null;
    if (name === 'structures') project = (v) => visibleStructures(reader, v);
    else if (name === 'primaryStructure') project = (v) => visiblePrimary(reader, v);
    else if (name.startsWith('details.')) project = (v) => visibleDetailValue(reader, v);
    if (project === null) {
      out[name] = pair;
      continue;
    }
    const before = project(pair[0]);
    const after = project(pair[1]);
    // A change that only touched foreign structures is no change for this reader.
    if (canonicalJson(before) !== canonicalJson(after)) out[name] = [before, after];
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** `person.left` (tombstone) or `person.entered` (completed by projectFeedPage). */
function membershipChange(
  row: EventRow,
  reader: Reader,
  op: 'left' | 'entered',
  structures: unknown,
): FeedItem {
  const changes: Record<string, unknown> = { jointure: row.entity_key };
  if (row.person_id !== undefined && row.person_id !== null) changes.id = Number(row.person_id);
  if (row.person_category) changes.category = row.person_category;
  changes.structures = structures;
  return {
    seq: Number(row.seq),
    occurredAt: isoTime(row.occurred_at),
    type: `person.${op}`,
    key: row.entity_key,
    version: row.version,
    uais: visibleUais(reader, row.uais),
    changes,
    importId: row.import_id === null ? null : Number(row.import_id),
  };
}

/** Person `changes` for a scoped reader: a feed type and changes, a tombstone, or null (skip). */
function projectPersonChanges(
  row: EventRow,
  reader: Reader,
  changes: Record<string, unknown>,
): { changes: Record<string, unknown> } | { left: unknown } | { entered: unknown } | null {
  switch (row.op) {
    case 'created': {
      const after = changes.after;
      if (after === null || typeof after !== 'object') return { changes };
      const a = after as Record<string, unknown>;
      const projected: Record<string, unknown> = { ...a };
      if ('structures' in a) projected.structures = visibleStructures(reader, a.structures);
      if ('primaryStructure' in a)
        projected.primaryStructure = visiblePrimary(reader, a.primaryStructure);
      if ('details' in a) projected.details = visibleDetails(reader, a.details);
      return { changes: { ...changes, after: projected } };
    }
    case 'updated':
    case 'restored': {
      const fields = changes.fields;
      if (fields === null || typeof fields !== 'object') return { changes };
      const f = fields as Record<string, unknown>;
      const structures = f.structures;
      if (isPair(structures)) {
        const wasIn = hasAny(reader, structures[0]);
        const isIn = hasAny(reader, structures[1]);
        if (wasIn && !isIn) return { left: visibleStructures(reader, structures[0]) };
        if (!wasIn && !isIn) return null;
        // The reader never had this person: its update alone would not say who it is.
        if (!wasIn) return { entered: visibleStructures(reader, structures[1]) };
      }
      const projected = projectFields(reader, f);
      return projected === null ? null : { changes: { ...changes, fields: projected } };
    }
    case 'departed': {
      const left = changes.structures;
      if (!Array.isArray(left) || left.length === 0) return { changes };
      const visible = visibleStructures(reader, left) as unknown[];
      return visible.length === 0 ? null : { changes: { ...changes, structures: visible } };
    }
    default:
      return { changes };
  }
}

/**
 * An event as `reader` may see it, or null when nothing of it is the reader's.
 *
 * Unrestricted readers get `eventRowToFeedItem`. For an establishment-scoped reader: `uais` is
 * reduced to the reader's; person events lose the structures, primary structure and `details`
 * entries of other establishments; an update that only touched other establishments is not
 * served (null: the caller moves its cursor past it anyway); an update that takes the person out
 * of every establishment of the reader (moved elsewhere, left this one) becomes a `person.left`
 * tombstone with the person's id, jointure, category and the structures left — none of the new
 * data; an update that brings the person in from elsewhere becomes `person.entered` with the
 * structures entered (projectFeedPage puts the person's current record in it). Then personal fields are removed for the public audience (redactChanges). Pure: works on
 * the row already read.
 */
export function projectEvent(row: EventRow, reader: Reader): FeedItem | null {
  if (reader.structures === null) return eventRowToFeedItem(row, reader.audience);
  let changes = row.changes ?? {};
  if (row.entity_type === 'person') {
    const projected = projectPersonChanges(row, reader, changes);
    if (projected === null) return null;
    if ('left' in projected) return membershipChange(row, reader, 'left', projected.left);
    if ('entered' in projected) return membershipChange(row, reader, 'entered', projected.entered);
    changes = projected.changes;
  }
  return feedItemOf(row, visibleUais(reader, row.uais), changes, reader.audience);
}

/** True when a feed item's `type` matches one of the `types=` filters (entity, or entity.op). */
export function feedTypeMatches(
  type: string,
  filters: readonly { readonly entity: string; readonly op?: string }[],
): boolean {
  if (filters.length === 0) return true;
  const dot = type.indexOf('.');
  const entity = type.slice(0, dot);
  const op = type.slice(dot + 1);
  return filters.some((f) => f.entity === entity && (f.op === undefined || f.op === op));
}
