import {
  sql,
  type Database,
  type EventInput,
  type Identifier,
  type Transaction,
} from '@aaf-sync/db';
import { statusEvent, type EventContext } from './identifier-events.js';
import type { PersonContext } from './identifier.repository.js';

/** Changes one row's status (version + 1) and records the `updated` event. */
export async function setIdentifierStatus(
  trx: Transaction<Database>,
  row: Identifier,
  status: 'primary' | 'retired',
  change: EventContext & { readonly note?: string | null },
  person: PersonContext | undefined,
  events: EventInput[],
): Promise<Identifier> {
  const updated = await trx
    .updateTable('identifier')
    .set({
      status,
      retired_at: status === 'retired' ? sql<Date>`now()` : null,
      version: sql<number>`version + 1`,
      note: change.note ?? row.note,
    })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  events.push(statusEvent(updated, row.status, status, person, change));
  return updated;
}
