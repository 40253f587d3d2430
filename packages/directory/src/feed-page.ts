import { sql, type Executor } from '@aaf-sync/db';
import { projectEvent, type EventRow, type FeedItem } from './event-view.js';
import {
  PERSONAL_PERSON_COLUMNS,
  PUBLIC_PERSON_COLUMNS,
  personRowToView,
  type PersonRow,
} from './person-view.js';
import type { Reader } from './reader.js';
import { personInScope, type Scope } from './scope.js';

/**
 * A page of the change feed as `reader` sees it (projectEvent on each row, rows that are not the
 * reader's dropped). A `person.entered` item (a person came into the reader's establishments
 * from elsewhere) gets the person's **current** record in `changes.after` — the same view as
 * GET /v1/persons — and that record's version: the reader drops the person's older events by
 * version, as after a snapshot. A person who is no longer in the scope is not served (its
 * `person.left` follows later in the feed). One query per page, only when a page has entries.
 */
export async function projectFeedPage(
  db: Executor,
  scope: Scope,
  reader: Reader,
  rows: readonly EventRow[],
): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  const entered = new Set<string>();
  for (const row of rows) {
    const item = projectEvent(row, reader);
    if (!item) continue;
    if (item.type === 'person.entered') entered.add(item.key);
    items.push(item);
  }
  if (entered.size === 0) return items;
  const persons = await db
    .selectFrom('person as p')
    .select(PUBLIC_PERSON_COLUMNS)
    .$if(reader.audience === 'personal', (q) => q.select(PERSONAL_PERSON_COLUMNS))
    .where('p.jointure', 'in', [...entered])
    .where(personInScope(scope, sql.ref('p.jointure')))
    .execute();
  const current = new Map(
    persons.map((p) => [p.jointure, personRowToView(p as PersonRow, reader)] as const),
  );
  const out: FeedItem[] = [];
  for (const item of items) {
    if (item.type !== 'person.entered') {
      out.push(item);
      continue;
    }
    const view = current.get(item.key);
    if (!view) continue;
    out.push({ ...item, version: view.version, changes: { ...item.changes, after: view } });
  }
  return out;
}
