import { appendEvents, type EventInput, type Executor } from '@aaf-sync/db';
import { IdentifierErrors } from './errors.js';
import type { EventContext } from './identifier-events.js';
import { findIdentifier, findPersonContexts } from './identifier.repository.js';
import { toIdentifierRecord, type IdentifierRecord } from './identifiers-of.js';
import { inTransaction, lockEventLog } from './in-transaction.js';
import { setIdentifierStatus } from './set-identifier-status.js';

/**
 * Retires an alias: it stops being a login but stays reserved (never given to anybody else;
 * its holder may get it back through `replaceIdentifier`). Primary identifiers cannot be
 * retired alone (`IDENTIFIERS_ERR_PRIMARY_NOT_RETIRABLE`: replace them). Retiring a retired
 * value changes nothing. Appends an `identifier updated` event (`status: ['alias', 'retired']`).
 */
export async function retireAlias(
  db: Executor,
  target: EventContext & {
    readonly namespace: string;
    readonly value: string;
    readonly note?: string | null;
  },
): Promise<IdentifierRecord> {
  return inTransaction(db, async (trx) => {
    await lockEventLog(trx);
    const row = await findIdentifier(trx, target.namespace, target.value, true);
    if (!row)
      throw IdentifierErrors.NOT_FOUND({ namespace: target.namespace, value: target.value });
    if (row.status === 'retired') return toIdentifierRecord(row);
    if (row.status === 'primary') {
      throw IdentifierErrors.PRIMARY_NOT_RETIRABLE({ namespace: row.namespace, value: row.value });
    }
    const [person] = await findPersonContexts(trx, [row.person_id]);
    const events: EventInput[] = [];
    const retired = await setIdentifierStatus(trx, row, 'retired', target, person, events);
    await appendEvents(trx, events);
    return toIdentifierRecord(retired);
  });
}
