import { appendEvents, type Executor } from '@aaf-sync/db';
import { IdentifierErrors } from './errors.js';
import { createdEvent, type EventContext } from './identifier-events.js';
import { findPersonContexts, type PersonContext } from './identifier.repository.js';
import { toIdentifierRecord, type IdentifierRecord } from './identifiers-of.js';
import { inTransaction, lockEventLog } from './in-transaction.js';
import { ruleFor, type NamespaceRule } from './namespace-rules.js';
import { assertValidIdentifier } from './validate-identifier.js';

/** An administrator's request about one value of one person. */
export interface IdentifierChange extends EventContext {
  readonly personId: number;
  readonly namespace: string;
  readonly value: string;
  /** Why (kept on the identifier row, e.g. a ticket number). */
  readonly note?: string | null;
}

/** The person's event context, or `IDENTIFIERS_ERR_PERSON_NOT_FOUND`. */
export async function requirePerson(db: Executor, personId: number): Promise<PersonContext> {
  const [person] = await findPersonContexts(db, [personId]);
  if (!person) throw IdentifierErrors.PERSON_NOT_FOUND({ personId });
  return person;
}

/**
 * Adds an alias: a second value of the person in the namespace, usable as a login next to the
 * primary one (the primary stays what LDAP writers use). Validated against the namespace
 * rules; unique across every status, so a retired value can never become an alias of somebody
 * else. Appends an `identifier created` event (`status: 'alias'`).
 *
 * @example
 * await setAlias(db, { personId, namespace: 'educonnect', value: 'jp.martin', actor: 'admin:42' }, rules);
 */
export async function setAlias(
  db: Executor,
  change: IdentifierChange,
  rules: readonly NamespaceRule[],
): Promise<IdentifierRecord> {
  const rule = ruleFor(rules, change.namespace);
  assertValidIdentifier(rule, change.value);
  return inTransaction(db, async (trx) => {
    await lockEventLog(trx);
    const person = await requirePerson(trx, change.personId);
    const row = await trx
      .insertInto('identifier')
      .values({
        namespace: rule.name,
        value: change.value,
        person_id: change.personId,
        status: 'alias',
        base: null,
        note: change.note ?? null,
      })
      .onConflict((oc) => oc.columns(['namespace', 'value']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw IdentifierErrors.TAKEN({ namespace: rule.name, value: change.value });
    await appendEvents(trx, [createdEvent(row, person, change)]);
    return toIdentifierRecord(row);
  });
}
