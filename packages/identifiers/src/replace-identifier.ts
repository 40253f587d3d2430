import {
  appendEvents,
  type EventInput,
  type Identifier,
  type Transaction,
  type Database,
  type Executor,
} from '@aaf-sync/db';
import { IdentifierErrors } from './errors.js';
import { createdEvent } from './identifier-events.js';
import { findIdentifier, type PersonContext } from './identifier.repository.js';
import { toIdentifierRecord, type IdentifierRecord } from './identifiers-of.js';
import { inTransaction, lockEventLog } from './in-transaction.js';
import { ruleFor, type NamespaceRule } from './namespace-rules.js';
import { requirePerson, type IdentifierChange } from './set-alias.js';
import { setIdentifierStatus } from './set-identifier-status.js';
import { assertValidIdentifier } from './validate-identifier.js';

export interface Replacement {
  /** The person's primary identifier after the change. */
  readonly primary: IdentifierRecord;
  /** The former primary, now retired (null when the person had none or nothing changed). */
  readonly retired: IdentifierRecord | null;
}

/**
 * Replaces a person's primary identifier in a namespace (a typo, a name change the family asked
 * to reflect, a clash with another system). The former primary becomes `retired`: it stays in
 * the table, reserved forever, never allocated to anybody. The new value may be new, one of the
 * person's own aliases (promoted), or one of the person's own retired values (restored, so an
 * administrator can undo a replacement); a value held or once held by anybody else is refused.
 * Replacing with the current primary changes nothing. Events: `updated` (`status`) for every
 * row whose status changes, `created` (with `replaces`) for a new value.
 *
 * @example
 * await replaceIdentifier(db, { personId, namespace: 'koxo', value: 'jmartin', actor: 'admin:42' }, rules);
 */
export async function replaceIdentifier(
  db: Executor,
  change: IdentifierChange,
  rules: readonly NamespaceRule[],
): Promise<Replacement> {
  const rule = ruleFor(rules, change.namespace);
  assertValidIdentifier(rule, change.value);
  return inTransaction(db, async (trx) => {
    await lockEventLog(trx);
    const person = await requirePerson(trx, change.personId);
    const current = await trx
      .selectFrom('identifier')
      .selectAll()
      .where('person_id', '=', change.personId)
      .where('namespace', '=', rule.name)
      .where('status', '=', 'primary')
      .forUpdate()
      .executeTakeFirst();
    if (current?.value === change.value) {
      return { primary: toIdentifierRecord(current), retired: null };
    }
    const target = await findIdentifier(trx, rule.name, change.value, true);
    if (target && target.person_id !== change.personId) {
      throw IdentifierErrors.TAKEN({ namespace: rule.name, value: change.value });
    }
    const events: EventInput[] = [];
    const retired = current
      ? await setIdentifierStatus(trx, current, 'retired', change, person, events)
      : null;
    const primary = target
      ? await setIdentifierStatus(trx, target, 'primary', change, person, events)
      : await insertPrimary(trx, change, current?.value ?? null, person, events);
    await appendEvents(trx, events);
    return {
      primary: toIdentifierRecord(primary),
      retired: retired ? toIdentifierRecord(retired) : null,
    };
  });
}

async function insertPrimary(
  trx: Transaction<Database>,
  change: IdentifierChange,
  replaces: string | null,
  person: PersonContext,
  events: EventInput[],
): Promise<Identifier> {
  const row = await trx
    .insertInto('identifier')
    .values({
      namespace: change.namespace,
      value: change.value,
      person_id: change.personId,
      status: 'primary',
      base: null,
      note: change.note ?? null,
    })
    .onConflict((oc) => oc.columns(['namespace', 'value']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) throw IdentifierErrors.TAKEN({ namespace: change.namespace, value: change.value });
  events.push(createdEvent({ ...row, replaces }, person, change));
  return row;
}
