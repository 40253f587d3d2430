import {
  appendEvents,
  copyRows,
  type Database,
  type Executor,
  type Transaction,
} from '@aaf-sync/db';
import { IdentifierErrors } from './errors.js';
import { HomonymCounters } from './homonym-counters.js';
import { formatIdentifier } from './format-identifier.js';
import { baseFromParts, nameParts } from './identifier-base.js';
import { createdEvent, type EventContext } from './identifier-events.js';
import { lockEventLog } from './in-transaction.js';
import {
  findPersonContexts,
  findPrimaries,
  findTaken,
  insertPrimaries,
  raiseCounters,
  reserveSlots,
  type NewPrimary,
} from './identifier.repository.js';
import type { NamespaceRule } from './namespace-rules.js';

/** A newly created person, as the ingester knows it. */
export interface PersonNames {
  readonly personId: number;
  readonly givenName: string;
  readonly sn: string;
}

export interface AllocateOptions extends EventContext {
  /** Append an `identifier created` event per new identifier (default true). */
  readonly events?: boolean;
}

interface Family {
  readonly key: string;
  readonly rule: NamespaceRule;
  readonly base: string;
  readonly slots: Slot[];
  /** The family's counter once this batch's reservations are made. */
  next: number;
}

interface Slot {
  readonly personId: number;
  readonly family: Family;
  value: string;
  done: boolean;
}

/** Insert rounds before giving up (a round only repeats for values taken meanwhile). */
const MAX_ROUNDS = 8;
/** Extra candidates read ahead per family when skipping taken values. */
const PROBE_EXTRA = 16;
const MAX_PROBES = 6;

/**
 * Families whose counters one allocator keeps in memory (see HomonymCounters): a few MiB, and
 * far more than the families that recur from one batch of 1,000 persons to the next.
 */
export const DEFAULT_CACHED_FAMILIES = 50_000;

export interface AllocatorOptions extends AllocateOptions {
  /** Homonym counters kept in memory between calls (default DEFAULT_CACHED_FAMILIES). */
  readonly cachedFamilies?: number;
}

/**
 * Gives new persons an identifier in every namespace, batch after batch, in one transaction (the
 * ingester's apply): `allocate` per batch, `finish` once before the transaction commits. Each
 * batch takes a handful of statements whatever its size: one read of primaries the persons may
 * already hold (allocation is idempotent: a person keeps the identifier it has), one counter
 * upsert over the homonym families this transaction has not met yet, one multi-row insert, one
 * event append. Within a family, holders are numbered in input order, across batches too. A
 * candidate value already taken (an administrator's alias, a retired value, or a long base
 * truncated onto another family's value) is skipped for the family's next free number, with one
 * extra read and insert.
 *
 * The counters of the families met stay locked until the transaction ends (concurrent
 * allocators of one family queue there) and are kept in memory: a family's row is read once and
 * written once (when it leaves the bounded cache, or by `finish`), not once per batch, so a
 * batch costs the same at the end of a 300,000-person import as at its start. Identifiers are
 * exactly those of one `allocateIdentifiers` call per batch. Without `finish`, the counters of
 * the families met more than once stay behind their values (the next allocator would then skip
 * the taken values one probe at a time): call it before committing.
 *
 * With events on, the event-log lock is taken first, so allocating before or after
 * `appendEvents` in the same transaction cannot deadlock.
 */
export class IdentifierAllocator {
  readonly #counters: HomonymCounters;
  /** Values this allocator inserted that another family's value can equal (see `mayCollide`). */
  readonly #long = new Set<string>();

  constructor(
    private readonly trx: Transaction<Database>,
    private readonly rules: readonly NamespaceRule[],
    private readonly options: AllocatorOptions = {},
  ) {
    this.#counters = new HomonymCounters(options.cachedFamilies ?? DEFAULT_CACHED_FAMILIES);
  }

  /**
   * Identifiers of these persons (new ones allocated), person id → namespace → value. `fresh`:
   * the persons were created in this transaction and hold no identifier yet, so the read of the
   * primaries they hold is skipped (the first import's fast path). `copy` (with `fresh`): the
   * identifier table held no row when this allocator was made and only this allocator writes it
   * meanwhile (a first import: no person, so no identifier); the values taken are then known
   * without asking (`mayCollide`) and the new ones are written with `COPY` (a value taken after
   * all fails the statement, and the transaction, on the table's unique key).
   */
  async allocate(
    persons: readonly PersonNames[],
    { fresh = false, copy = false }: { readonly fresh?: boolean; readonly copy?: boolean } = {},
  ): Promise<Map<number, Record<string, string>>> {
    const { trx: db, rules, options } = this;
    const seen = new Set<number>();
    const unique = persons.filter((p) => !seen.has(p.personId) && seen.add(p.personId));
    const values = new Map<string, string>(); // `${personId}:${namespace}` → value
    if (unique.length > 0 && rules.length > 0) {
      const events = options.events !== false;
      if (events) await lockEventLog(db);
      const ids = unique.map((p) => p.personId);
      const held = fresh
        ? []
        : await findPrimaries(
            db,
            ids,
            rules.map((r) => r.name),
          );
      for (const h of held) values.set(`${h.person_id}:${h.namespace}`, h.value);
      const slots = planSlots(unique, rules, values);
      if (slots.length > 0) {
        await reserve(db, slots, this.#counters);
        await insertAll(
          db,
          slots,
          this.#counters,
          fresh && copy ? new TakenInMemory(db, this.#long) : new TakenInTable(db, this.#long),
        );
        for (const s of slots) values.set(`${s.personId}:${s.family.rule.name}`, s.value);
        if (events) await emitCreated(db, slots, options);
      }
      await raiseCounters(db, this.#counters.evict());
    }
    return collect(unique, rules, values);
  }

  /** Writes the counters that moved since they were read; before the transaction commits. */
  async finish(): Promise<void> {
    await raiseCounters(this.trx, this.#counters.drain());
  }
}

/** One slot per (person, namespace) still without a primary, grouped by homonym family. */
function planSlots(
  persons: readonly PersonNames[],
  rules: readonly NamespaceRule[],
  held: ReadonlyMap<string, string>,
): Slot[] {
  const families = new Map<string, Family>();
  const slots: Slot[] = [];
  for (const person of persons) {
    const parts = nameParts(person.givenName, person.sn);
    for (const rule of rules) {
      if (held.has(`${person.personId}:${rule.name}`)) continue;
      const base = baseFromParts(rule, parts);
      const key = `${rule.name}\u0000${base}`;
      let family = families.get(key);
      if (!family) {
        family = { key, rule, base, slots: [], next: 0 };
        families.set(key, family);
      }
      const slot: Slot = { personId: person.personId, family, value: '', done: false };
      family.slots.push(slot);
      slots.push(slot);
    }
  }
  return slots;
}

function familiesOf(slots: readonly Slot[]): Family[] {
  const families = [...new Set(slots.map((s) => s.family))];
  // One lock order for every allocator: no deadlock between two batches sharing families.
  return families.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Round 1: reserves as many slots as members in each family and numbers them in input order.
 * Families this transaction already holds are counted in memory; the others are upserted (and
 * locked) in one statement.
 */
async function reserve(
  db: Executor,
  slots: readonly Slot[],
  counters: HomonymCounters,
): Promise<void> {
  const families = familiesOf(slots);
  const unheld: Family[] = [];
  for (const family of families) {
    const next = counters.take(family.key, family.slots.length);
    if (next === undefined) unheld.push(family);
    else family.next = next;
  }
  const rows =
    unheld.length === 0
      ? []
      : await reserveSlots(
          db,
          unheld.map((f) => ({ namespace: f.rule.name, base: f.base, count: f.slots.length })),
        );
  const after = new Map(rows.map((r) => [`${r.namespace}\u0000${r.base}`, r.allocated]));
  for (const family of unheld) {
    family.next = after.get(family.key) ?? 0;
    counters.hold(family.key, { namespace: family.rule.name, base: family.base }, family.next);
  }
  for (const family of families) {
    let index = family.next - family.slots.length;
    for (const slot of family.slots)
      slot.value = formatIdentifier(family.rule, family.base, index++);
  }
}

/**
 * Whether another family's value can equal this one. A value is its base cut to leave room for
 * its number, then the number (bases have no digits): the bare forms (index 0) of two families
 * differ, a bare form never equals a numbered value, and two numbered values with the same
 * number differ unless both bases were cut, i.e. both values fill the namespace's maximum
 * length. So only numbered values of that length can collide across families.
 */
function mayCollide(rule: NamespaceRule, base: string, value: string): boolean {
  return value !== base && value.length === rule.maxLength;
}

/** A value to insert, and whether another family's value may equal it. */
interface Candidate extends NewPrimary {
  readonly long: boolean;
}

/** Where `insertAll` writes values and learns which ones are taken. */
interface TakenValues {
  /** Inserts the rows in order, skipping values taken; answers those inserted. */
  insert(rows: readonly Candidate[]): Promise<readonly Candidate[]>;
  /** Which of these values exist. */
  taken(pairs: readonly { namespace: string; value: string }[]): Promise<Set<string>>;
  /** Writes what `insert` kept back (once the rounds are over). */
  finish(): Promise<void>;
}

const takenKey = (namespace: string, value: string) => `${namespace}\u0000${value}`;

/** The identifier table itself: `insert … on conflict do nothing`, then a read of the others. */
class TakenInTable implements TakenValues {
  constructor(
    private readonly db: Executor,
    /** (values that may collide, recorded for a later `TakenInMemory`) */
    private readonly long: Set<string>,
  ) {}

  async insert(rows: readonly Candidate[]): Promise<readonly Candidate[]> {
    const inserted = await insertPrimaries(this.db, rows);
    const done = new Set(inserted.map((r) => `${r.person_id}:${r.namespace}`));
    const out = rows.filter((r) => done.has(`${r.personId}:${r.namespace}`));
    for (const r of out) if (r.long) this.long.add(takenKey(r.namespace, r.value));
    return out;
  }

  async taken(pairs: readonly { namespace: string; value: string }[]): Promise<Set<string>> {
    const rows = await findTaken(this.db, pairs);
    return new Set(rows.map((t) => takenKey(t.namespace, t.value)));
  }

  async finish(): Promise<void> {}
}

/**
 * A table that held no row before this allocator: a value is taken only if this allocator
 * handed it out, and only those that may collide (`mayCollide`) need remembering. The rows of
 * every round are written at the end with one COPY, in the order the rounds inserted them.
 */
class TakenInMemory implements TakenValues {
  readonly #rows: Candidate[] = [];

  constructor(
    private readonly db: Executor,
    private readonly long: Set<string>,
  ) {}

  async insert(rows: readonly Candidate[]): Promise<readonly Candidate[]> {
    const out: Candidate[] = [];
    for (const r of rows) {
      if (!r.long) {
        out.push(r);
        continue;
      }
      const key = takenKey(r.namespace, r.value);
      if (this.long.has(key)) continue;
      this.long.add(key);
      out.push(r);
    }
    this.#rows.push(...out);
    return out;
  }

  async taken(pairs: readonly { namespace: string; value: string }[]): Promise<Set<string>> {
    return new Set(
      pairs.map((p) => takenKey(p.namespace, p.value)).filter((k) => this.long.has(k)),
    );
  }

  async finish(): Promise<void> {
    const columns = ['namespace', 'value', 'person_id', 'status', 'base'] as const;
    await copyRows(
      this.db,
      'identifier',
      columns,
      this.#rows.map((r) => ({
        namespace: r.namespace,
        value: r.value,
        person_id: r.personId,
        status: 'primary',
        base: r.base,
      })),
    );
    this.#rows.length = 0;
  }
}

/** Inserts every slot's value; slots whose value was taken get the next free number. */
async function insertAll(
  db: Executor,
  slots: readonly Slot[],
  counters: HomonymCounters,
  store: TakenValues,
): Promise<void> {
  let pending = slots;
  for (let round = 1; ; round++) {
    const candidates = pending.filter((s) => !s.family.rule.reserved.has(s.value));
    const inserted = await store.insert(
      candidates.map((s) => ({
        namespace: s.family.rule.name,
        base: s.family.base,
        value: s.value,
        personId: s.personId,
        long: mayCollide(s.family.rule, s.family.base, s.value),
      })),
    );
    const done = new Set(inserted.map((r) => `${r.personId}:${r.namespace}`));
    for (const s of pending) s.done = done.has(`${s.personId}:${s.family.rule.name}`);
    pending = pending.filter((s) => !s.done);
    if (pending.length === 0) return store.finish();
    if (round >= MAX_ROUNDS) {
      throw IdentifierErrors.ALLOCATION_CONFLICT({ count: pending.length, rounds: round });
    }
    await renumber(pending, counters, store);
  }
}

interface Waiting {
  readonly family: Family;
  /** Slots of the family still without a value, in input order. */
  readonly slots: Slot[];
  candidates: string[];
}

/**
 * Gives the pending slots the next values of their family that are neither taken nor reserved,
 * reading candidates ahead in one query per probe, then moves the counters past them (in
 * memory: written with the others). This transaction already holds the counters' locks (from
 * `reserve`), so no other allocator can hand out these numbers meanwhile.
 */
async function renumber(
  pending: readonly Slot[],
  counters: HomonymCounters,
  store: TakenValues,
): Promise<void> {
  const families = familiesOf(pending);
  let waiting: Waiting[] = families.map((family) => ({
    family,
    slots: pending.filter((s) => s.family === family),
    candidates: [],
  }));
  for (let probe = 0, window = PROBE_EXTRA; waiting.length > 0; probe++, window *= 4) {
    if (probe >= MAX_PROBES) {
      throw IdentifierErrors.ALLOCATION_CONFLICT({ count: pending.length, rounds: probe });
    }
    for (const w of waiting) {
      w.candidates = Array.from({ length: w.slots.length + window }, (_, i) =>
        formatIdentifier(w.family.rule, w.family.base, w.family.next + i),
      );
    }
    const takenKeys = await store.taken(
      waiting.flatMap((w) =>
        w.candidates.map((value) => ({ namespace: w.family.rule.name, value })),
      ),
    );
    waiting = waiting.filter((w) => !assignFree(w, takenKeys));
  }
  for (const f of families) counters.raise(f.key, f.next);
}

/** Hands the free candidates to the waiting slots; true when every slot got one. */
function assignFree(w: Waiting, takenKeys: ReadonlySet<string>): boolean {
  const { family, slots, candidates } = w;
  let used = 0;
  let offset = 0;
  for (; offset < candidates.length && used < slots.length; offset++) {
    const value = candidates[offset] as string;
    if (takenKeys.has(`${family.rule.name}\u0000${value}`) || family.rule.reserved.has(value)) {
      continue;
    }
    (slots[used++] as Slot).value = value;
  }
  family.next += offset;
  slots.splice(0, used);
  return slots.length === 0;
}

async function emitCreated(db: Executor, slots: readonly Slot[], context: EventContext) {
  const persons = await findPersonContexts(db, [...new Set(slots.map((s) => s.personId))]);
  const byId = new Map(persons.map((p) => [p.id, p]));
  await appendEvents(
    db,
    slots.map((s) =>
      createdEvent(
        { namespace: s.family.rule.name, value: s.value, status: 'primary', base: s.family.base },
        byId.get(s.personId),
        context,
      ),
    ),
  );
}

function collect(
  persons: readonly PersonNames[],
  rules: readonly NamespaceRule[],
  values: ReadonlyMap<string, string>,
): Map<number, Record<string, string>> {
  const result = new Map<number, Record<string, string>>();
  for (const person of persons) {
    const record: Record<string, string> = {};
    for (const rule of rules) {
      const value = values.get(`${person.personId}:${rule.name}`);
      if (value !== undefined) record[rule.name] = value;
    }
    result.set(person.personId, record);
  }
  return result;
}
