import { sql, type EventEntity, type EventOp, type Executor } from '@aaf-sync/db';
import type { EventRow, FeedOp } from './event-view.js';
import { withFeedPosition, type FeedPosition } from './feed-head.js';
import type { KeysetPage } from './person.repository.js';
import type { Scope } from './scope.js';

/** A `types=` filter item: every op of an entity, or one op. */
export interface EventTypeFilter {
  readonly entity: EventEntity;
  readonly op?: FeedOp;
}

/** `left`/`entered` are built from stored updates (see projectEvent): the ops a feed op reads. */
function storedOps(op: FeedOp): EventOp[] {
  return op === 'left' || op === 'entered' ? ['updated', 'restored'] : [op];
}

export interface ChangeQuery {
  /** Return events with `seq > after`. */
  readonly after: number;
  /** Rows to read (ask one more than the page size to know whether more follow). */
  readonly limit: number;
  readonly types?: readonly EventTypeFilter[];
  /** Only events concerning one of these UAIs. */
  readonly uais?: readonly string[];
}

/** Nomenclatures (not tied to an establishment) are visible to establishment-scoped callers. */
const NOMENCLATURES: readonly EventEntity[] = ['subject', 'mef'];

const EVENT_COLUMNS = [
  'e.seq',
  'e.occurred_at',
  'e.entity_type',
  'e.entity_key',
  'e.op',
  'e.version',
  'e.uais',
  'e.changes',
  'e.import_id',
] as const;

/**
 * Events after a cursor, in seq order, filtered by type and UAI, restricted to the scope
 * (events whose `uais` meet the scope's, plus nomenclatures), with the feed position read in
 * the same statement: when fewer than `limit` rows come back, every event up to `head` was
 * considered and the next cursor is `head`. For a scoped caller each person event also carries
 * the person's id and category (`person_id`, `person_category`, one join), for the tombstones of
 * projectEvent; `types` with op `left` or `entered` reads the stored updates a tombstone can come from.
 */
export async function readChanges(
  db: Executor,
  scope: Scope,
  query: ChangeQuery,
): Promise<{ rows: EventRow[]; position: FeedPosition }> {
  let q = db.selectFrom('change_event as e').select(EVENT_COLUMNS).where('e.seq', '>', query.after);
  if (scope.uais !== null) {
    const uais = [...scope.uais];
    q = q.where((eb) =>
      eb.or([
        eb(sql`e.uais`, '&&', sql`${uais}::text[]`),
        eb('e.entity_type', 'in', [...NOMENCLATURES]),
      ]),
    );
  }
  if (query.uais && query.uais.length > 0) {
    q = q.where(sql<boolean>`e.uais && ${[...query.uais]}::text[]`);
  }
  if (query.types && query.types.length > 0) {
    const whole = query.types.filter((t) => !t.op).map((t) => t.entity);
    const exact = query.types.flatMap((t) =>
      t.op ? storedOps(t.op).map((op) => `${t.entity}.${op}`) : [],
    );
    q = q.where(sql<boolean>`(e.entity_type = any(${whole}::text[])
      or (e.entity_type || '.' || e.op) = any(${exact}::text[]))`);
  }
  const page = q.orderBy('e.seq').limit(query.limit);
  if (scope.uais === null) return withFeedPosition<EventRow>(db, page);
  // A scoped reader may get `person.left` tombstones: they carry the person's id and category.
  const withPerson = db
    .selectFrom(page.as('e'))
    .leftJoin('person as p', (j) =>
      j.onRef('p.jointure', '=', 'e.entity_key').on('e.entity_type', '=', 'person'),
    )
    .selectAll('e')
    .select(['p.id as person_id', 'p.category as person_category'])
    .orderBy('e.seq');
  return withFeedPosition<EventRow>(db, withPerson);
}

/** Entity types whose keys contain a person's jointure as one `|`-separated part. */
const PERSON_ENTITIES: readonly EventEntity[] = [
  'person',
  'membership',
  'relative_link',
  'teaching_link',
  'head_teacher',
  'person_function',
  'direction',
  'identifier',
];

/**
 * A person's history, newest first: its own events, the events of its links (membership,
 * relative, teaching… keys contain its jointure as a `|`-separated part) and of its identifiers
 * (`<namespace>:<value>`). Restricted to the scope's UAIs for scoped callers. `page.after` is a
 * seq: the page continues below it.
 */
export async function listPersonHistory(
  db: Executor,
  scope: Scope,
  person: { readonly id: number; readonly jointure: string },
  page: KeysetPage<number>,
): Promise<EventRow[]> {
  let q = db
    .selectFrom('change_event as e')
    .select(EVENT_COLUMNS)
    .where('e.entity_type', 'in', [...PERSON_ENTITIES])
    .where(
      sql<boolean>`string_to_array(e.entity_key, '|') && (array[${person.jointure}]::text[]
        || array(select i.namespace || ':' || i.value from identifier i where i.person_id = ${person.id}))`,
    );
  if (scope.uais !== null) q = q.where(sql<boolean>`e.uais && ${[...scope.uais]}::text[]`);
  if (page.after !== null) q = q.where('e.seq', '<', page.after);
  return q.orderBy('e.seq', 'desc').limit(page.limit).execute();
}
