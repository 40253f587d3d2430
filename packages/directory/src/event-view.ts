import type { ChangeEvent } from '@aaf-sync/db';
import { isPublicPersonField, type Audience } from './audience.js';
import { isoTime } from './person-view.js';

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
>;

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
  return {
    seq: Number(row.seq),
    occurredAt: isoTime(row.occurred_at),
    type: `${row.entity_type}.${row.op}`,
    key: row.entity_key,
    version: row.version,
    uais: row.uais,
    changes: redactChanges(row.entity_type, row.changes ?? {}, audience),
    importId: row.import_id === null ? null : Number(row.import_id),
  };
}
