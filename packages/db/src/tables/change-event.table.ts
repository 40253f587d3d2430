import type { Generated, Insertable, Selectable } from 'kysely';
import type { JsonDefault } from './import.table.js';

/** Operations stored in the event log (the feed adds `left`, see packages/directory FEED_OPS). */
export const EVENT_OPS = ['created', 'updated', 'departed', 'restored', 'deleted'] as const;
export type EventOp = (typeof EVENT_OPS)[number];

/**
 * Entity types of the event log. Keys: person and structure → jointure; subject and mef → code;
 * class and group → `<structureJointure>$<code>`; membership →
 * `<class|group>:<structureJointure>$<code>|<personJointure>`; other links join their parts with
 * `|`; identifier → `<namespace>:<value>`; managed_group, notice → its id (see
 * services/api/README.md, the feed format).
 */
export const EVENT_ENTITIES = [
  'structure',
  'subject',
  'mef',
  'person',
  'class',
  'group',
  'membership',
  'relative_link',
  'teaching_link',
  'head_teacher',
  'person_function',
  'direction',
  'identifier',
  'managed_group',
  'notice',
] as const;
export type EventEntity = (typeof EVENT_ENTITIES)[number];

export interface ChangeEventTable {
  seq: Generated<number>;
  occurred_at: Generated<Date>;
  entity_type: EventEntity;
  entity_key: string;
  op: EventOp;
  version: number;
  uais: Generated<string[]>;
  /** created: the new public record; updated: { field: [before, after] }; others: context. */
  changes: JsonDefault<Record<string, unknown>>;
  import_id: number | null;
  file_id: number | null;
  actor: string | null;
}

export type ChangeEvent = Selectable<ChangeEventTable>;
export type NewChangeEvent = Insertable<ChangeEventTable>;
