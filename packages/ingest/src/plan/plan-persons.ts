import { normalizeRecord, recordHash, type PersonRecord, type RawRecord } from '@aaf-sync/aaf';
import { sql } from '@aaf-sync/db';
import {
  loadCurrentPersons,
  loadPersonHeads,
  type CurrentPerson,
  type PersonHead,
} from './current-state.js';
import {
  CATEGORY_OF,
  rejectIn,
  tally,
  warnIn,
  type DeliveryState,
  type FileScratch,
} from './delivery-state.js';
import { matchByIne } from './ine-identity.js';
import { unknownStructureWarnings, withKnownStructures } from './known-structures.js';
import { diffPerson, isEmptyDiff, membershipChanges } from './person-diff.js';
import { columnsOf, linksOf } from './person-state.js';
import { namedStructure, namedStructureInXml } from './named-structure.js';
import { rawRecordXml } from './raw-xml.js';
import { currentStructures, outOfScopeMessage } from './submitter-scope.js';
import { keyedInDelivery, personReferences } from './keyed-record.js';
import { aafIdOf, reservedId, reservedIdMessage } from './scope-keys.js';

interface Pending {
  readonly raw: BatchRecord;
  readonly head: PersonHead | undefined;
}

/**
 * A record of a batch: parsed, or an addRequest the reader skipped because its bytes are those
 * the person was last applied from (`attributes` empty, its text in `skipped.xml`). Its `id` is
 * the directory key once planning took it (see scope-keys.ts), `aafId` the id the file gives.
 */
export type BatchRecord = RawRecord & {
  readonly aafId?: string;
  /** A request the reader skipped: its text (decoded when read) and the person it matched. */
  readonly skipped?: { readonly request: { readonly raw: string }; readonly head: PersonHead };
};

/** The request as written, for a reject. */
const xmlOf = (raw: BatchRecord) => raw.skipped?.request.raw ?? rawRecordXml(raw);

/** Persons whose stored fingerprint is refreshed: their record is unchanged, their bytes not. */
interface Refresh {
  readonly jointure: string;
  readonly rawHash: string;
  readonly recordHash: string;
}

/**
 * Stores the fingerprints of requests that parsed into the record the person already holds
 * (after the migration that added them, or when a producer rewrites its files differently), so
 * that the next identical request is skipped. Not part of the directory (no version, no event):
 * each is written only where the person still holds that record, so it is valid whatever
 * happens to this import.
 */
async function refreshFingerprints(state: DeliveryState, rows: readonly Refresh[]): Promise<void> {
  if (rows.length === 0 || !state.writesFingerprints) return;
  await sql`
    update person p set raw_hash = u.raw_hash
    from unnest(${rows.map((r) => r.jointure)}::text[], ${rows.map((r) => r.rawHash)}::text[],
                ${rows.map((r) => r.recordHash)}::text[]) as u(jointure, raw_hash, record_hash)
    where p.jointure = u.jointure and p.record_hash = u.record_hash`.execute(state.deps.db);
}

/** Establishments of relatives that no pupil of this delivery names: from the directory. */
async function relativeUnitsFromDirectory(
  state: DeliveryState,
  jointures: readonly string[],
): Promise<Map<string, string>> {
  if (jointures.length === 0 || state.noPersons) return new Map();
  const { rows } = await sql<{ relative: string; structure: string }>`
    select distinct on (rl.relative_jointure) rl.relative_jointure as relative, p.primary_structure as structure
    from relative_link rl join person p on p.jointure = rl.pupil_jointure
    where rl.relative_jointure = any(${[...jointures]}::text[]) and p.state = 'active'
      and p.primary_structure is not null and p.scope = ${state.fileScope}
    order by rl.relative_jointure, p.jointure`.execute(state.deps.db);
  return new Map(rows.map((r) => [r.relative, r.structure]));
}

/**
 * Relatives' establishments by the pupils their own record names (`ENTAuxPersRelEleveEleve`,
 * 1D `ENTPersRelEleveEleve`) that the directory holds: where a rejected relative no pupil of the
 * delivery names is listed (its account, if any, still comes from the pupils' side only).
 */
async function namedPupilUnits(
  state: DeliveryState,
  records: readonly RawRecord[],
): Promise<Map<string, string>> {
  const relatives: string[] = [];
  const pupils: string[] = [];
  for (const r of records)
    for (const pupil of [
      ...(r.attributes.ENTAuxPersRelEleveEleve ?? []),
      ...(r.attributes.ENTPersRelEleveEleve ?? []),
    ]) {
      if (pupil.trim() === '') continue;
      relatives.push(r.id);
      pupils.push(pupil.trim());
    }
  if (relatives.length === 0 || state.noPersons) return new Map();
  const { rows } = await sql<{ relative: string; structure: string }>`
    select distinct on (n.relative) n.relative, p.primary_structure as structure
    from unnest(${relatives}::text[], ${pupils}::text[]) as n(relative, pupil)
    join person p on p.aaf_id = n.pupil and p.scope = ${state.fileScope}
    where p.category = 'pupil' and p.state = 'active' and p.primary_structure is not null
    order by n.relative, n.pupil`.execute(state.deps.db);
  return new Map(rows.map((r) => [r.relative, r.structure]));
}

function relativeUnit(
  state: DeliveryState,
  file: FileScratch,
  jointure: string,
): string | undefined {
  return state.relativeUnits.get(jointure) ?? file.relativeUnits.get(jointure);
}

/**
 * Rejects a record outside the submitter's establishments. It is attributed to the establishment
 * the record itself names (its attachment), never to one read from the directory.
 */
function rejectOutOfScope(
  state: DeliveryState,
  file: FileScratch,
  raw: BatchRecord,
): Promise<void> {
  const sent = raw.attributes.ENTPersonStructRattach?.[0] ?? null;
  tally(file, 'rejected');
  return rejectIn(
    state,
    file,
    { ...raw, xml: xmlOf(raw) },
    { code: 'OUT_OF_SCOPE', message: outOfScopeMessage(`person ${raw.id}`) },
    sent,
  );
}

/** A scoped submitter may change a person only when it names or holds establishments, all its. */
function inScope(state: DeliveryState, structures: readonly string[]): boolean {
  return !state.scope.scoped || (structures.length > 0 && state.scope.covers(structures));
}

/**
 * An existing person is out of a scoped submitter's reach when it holds an establishment outside
 * it; a deleteRequest also needs the person to hold one at least (nothing proves it is its).
 */
function heldInScope(state: DeliveryState, raw: RawRecord, held: readonly string[]): boolean {
  if (!state.scope.scoped) return true;
  return raw.op === 'delete' ? inScope(state, held) : state.scope.covers(held);
}

/** First pass over a batch: scope, duplicates, category changes, deletes, unchanged records. */
async function triage(
  state: DeliveryState,
  file: FileScratch,
  records: readonly BatchRecord[],
  heads: Map<string, PersonHead>,
  held: ReadonlyMap<string, readonly string[]>,
): Promise<Pending[]> {
  const category = CATEGORY_OF[file.entity]!;
  const pending: Pending[] = [];
  const refresh: Refresh[] = [];
  const unchanged = (head: PersonHead) => {
    file.seen.set(head.jointure, { category });
    tally(file, 'unchanged');
    file.stats.add(head.primaryStructure, 'unchanged', 1, category);
    if (head.primaryStructure) file.referencedStructures.add(head.primaryStructure);
  };
  for (const raw of records) {
    const head = heads.get(raw.id);
    const reject = (
      code: 'DUPLICATE_RECORD' | 'CATEGORY_CHANGE' | 'UNKNOWN_ENTITY',
      message: string,
    ) => {
      tally(file, 'rejected');
      return rejectIn(
        state,
        file,
        { ...raw, xml: xmlOf(raw) },
        { code, message },
        recordUnit(state, file, raw) ?? head?.primaryStructure ?? null,
      );
    };
    if (raw.skipped && !state.ineMerges.has(raw.id) && !state.seen.has(raw.id)) {
      // The reader skipped it: its bytes are those the person was last applied from, checked
      // against the directory when it was read (nothing writes persons while planning).
      if (!skippable(state, head, category, raw.rawHash)) {
        throw new Error(`skipped record ${raw.id} no longer matches the directory`);
      }
      unchanged(head!);
      continue;
    }
    if (head && !heldInScope(state, raw, held.get(raw.id) ?? [])) {
      await rejectOutOfScope(state, file, raw);
    } else if (state.ineMerges.has(raw.id)) {
      await reject(
        'DUPLICATE_RECORD',
        `person ${raw.id} was found again by its INE under ${state.ineMerges.get(raw.id)} in this delivery`,
      );
    } else if (state.seen.has(raw.id) || file.seen.has(raw.id)) {
      await reject('DUPLICATE_RECORD', `person ${raw.id} appears twice in the delivery`);
    } else if (head && head.category !== category) {
      await reject(
        'CATEGORY_CHANGE',
        `${raw.id} is a ${head.category} in the directory, not a ${category}`,
      );
    } else if (raw.op !== 'add' && !head) {
      // For a scoped submitter, UNKNOWN_ENTITY vs OUT_OF_SCOPE would tell which ids exist elsewhere.
      if (state.scope.scoped) await rejectOutOfScope(state, file, raw);
      else await reject('UNKNOWN_ENTITY', `${raw.op}Request for unknown person ${raw.id}`);
    } else if (raw.op === 'delete' && head!.state === 'departed') {
      file.seen.set(raw.id, { category });
      tally(file, 'unchanged');
      file.stats.add(head!.primaryStructure, 'unchanged', 1, category);
    } else if (
      raw.op === 'add' &&
      head?.state === 'active' &&
      head.recordHash === recordHash(raw.attributes) &&
      !arrivedSince(state, head)
    ) {
      unchanged(head);
      if (raw.rawHash !== undefined && raw.rawHash !== head.rawHash) {
        refresh.push({ jointure: raw.id, rawHash: raw.rawHash, recordHash: head.recordHash });
      }
    } else {
      pending.push({ raw, head });
    }
  }
  await refreshFingerprints(state, refresh);
  return pending;
}

/**
 * Whether an addRequest whose bytes have the fingerprint `rawHash` may be skipped: the person
 * holds the record those bytes were applied as, active, in the file's category, and no structure
 * it was waiting for arrived since (its links must then be planned again).
 */
export function skippable(
  state: DeliveryState,
  head: PersonHead | undefined,
  category: string,
  rawHash: string | undefined,
): boolean {
  return (
    head !== undefined &&
    rawHash !== undefined &&
    head.rawHash === rawHash &&
    head.state === 'active' &&
    head.category === category &&
    head.scope === state.fileScope &&
    !arrivedSince(state, head)
  );
}

/**
 * The establishment a record names itself, for its rejects: a relative, that of the pupil naming
 * it in this delivery; others, the first known one among attachment, classes, functions…
 */
function recordUnit(state: DeliveryState, file: FileScratch, raw: BatchRecord): string | null {
  if (file.entity === 'PersRelEleve') return relativeUnit(state, file, raw.id) ?? null;
  return raw.skipped
    ? namedStructureInXml(raw.skipped.request.raw, state.structures)
    : namedStructure(raw.attributes, state.structures);
}

/** A structure the person's record named while unknown is in the directory now. */
export function arrivedSince(
  state: DeliveryState,
  person: { readonly unknownStructures: readonly string[] },
): boolean {
  return person.unknownStructures.some((s) => state.structures.has(s));
}

async function planDelete(
  state: DeliveryState,
  file: FileScratch,
  current: CurrentPerson,
): Promise<void> {
  const structures = [...current.links.structures.keys()];
  file.seen.set(current.jointure, { category: current.category });
  tally(file, 'departed');
  file.stats.add(current.primaryStructure, 'departed', 1, current.category);
  await state.plans.add({
    entity: 'person',
    action: 'depart',
    key: current.jointure,
    unit: current.primaryStructure,
    baseVersion: current.version,
    fileId: file.fileId,
    payload: { personId: current.id, structures, reason: 'deleted' },
  });
}

export async function planChange(
  state: DeliveryState,
  file: FileScratch,
  raw: Pick<RawRecord, 'id' | 'rawHash'>,
  record: PersonRecord,
  attributes: Readonly<Record<string, readonly string[]>>,
  current: CurrentPerson | undefined,
  unit: string | null,
  extra: { unknownStructures?: readonly string[]; renamedFrom?: string } = {},
): Promise<void> {
  const hash = recordHash(attributes);
  if (unit) file.referencedStructures.add(unit);
  const isRelative = record.category === 'relative';
  const columns = isRelative
    ? {
        ...columnsOf(record, state.fileScope),
        primaryStructure: current?.columns.primaryStructure ?? unit,
      }
    : columnsOf(record, state.fileScope);
  const diff = diffPerson(
    current ?? null,
    { columns, links: linksOf(record) },
    // (a create of the first import: its columns are in the item already)
    { keepStructures: isRelative, withoutFields: !current && state.lightCreates },
  );
  if (extra.renamedFrom !== undefined) {
    // Found again by its INE: the event says the jointure changed.
    // (AAF ids; with the scope's change when it moved académie)
    (diff.fields as Record<string, readonly [unknown, unknown]>).jointure = [
      aafIdOf(extra.renamedFrom),
      aafIdOf(raw.id),
    ];
    file.seen.set(extra.renamedFrom, { category: record.category });
    state.ineMerges.set(extra.renamedFrom, raw.id);
  }
  const action = !current ? 'create' : current.state === 'departed' ? 'restore' : 'update';
  file.seen.set(raw.id, { category: record.category });
  const outcome =
    action === 'update' && isEmptyDiff(diff)
      ? 'unchanged'
      : action === 'create'
        ? 'created'
        : action === 'restore'
          ? 'restored'
          : 'updated';
  tally(file, outcome);
  file.stats.add(unit, outcome, 1, record.category);
  const moves = membershipChanges(diff);
  file.stats.add(unit, 'membershipsAdded', moves.added);
  file.stats.add(unit, 'membershipsRemoved', moves.removed);
  if (record.category === 'pupil' && record.primaryStructure) {
    for (const r of record.relatives) {
      if (!file.relativeUnits.has(r.jointure))
        file.relativeUnits.set(r.jointure, record.primaryStructure);
    }
  }
  await state.plans.add({
    entity: 'person',
    action,
    key: raw.id,
    unit,
    baseVersion: current?.version ?? null,
    fileId: file.fileId,
    payload: {
      columns,
      attributes,
      hash,
      // the bytes' fingerprint names these attributes only when they were read whole
      rawHash: raw.rawHash ?? null,
      diff,
      personId: current?.id ?? null,
      unknownStructures: [...(extra.unknownStructures ?? [])],
      ...(extra.renamedFrom !== undefined ? { renamedFrom: extra.renamedFrom } : {}),
    },
  });
}

/**
 * Plans a batch of person records (Eleve, PersRelEleve or PersEducNat): compares each with the
 * directory and adds create / update / restore / depart items to the plan. Unchanged records cost
 * one indexed lookup per batch and no write.
 */
export async function planPersonBatch(
  state: DeliveryState,
  file: FileScratch,
  batch: readonly BatchRecord[],
): Promise<void> {
  const records = await keyedBatch(state, file, batch);
  // (the reader's skip filter already looked up the persons of the requests it skipped)
  const heads = state.noPersons
    ? new Map<string, PersonHead>()
    : await loadPersonHeads(
        state.deps.db,
        records.filter((r) => !r.skipped).map((r) => r.id),
      );
  for (const r of records) if (r.skipped && !heads.has(r.id)) heads.set(r.id, r.skipped.head);
  // What existing persons hold now, for a scoped submitter (an academy-wide one skips the query).
  const held = state.scope.scoped
    ? await currentStructures(state.deps.db, [...heads.keys()])
    : new Map<string, string[]>();
  const pending = await triage(state, file, records, heads, held);
  const current = await loadCurrentPersons(
    state.deps.db,
    pending.filter((p) => p.head).map((p) => p.raw.id),
  );
  const needUnits =
    file.entity === 'PersRelEleve'
      ? pending.map((p) => p.raw.id).filter((j) => !relativeUnit(state, file, j))
      : [];
  const directoryUnits = await relativeUnitsFromDirectory(state, needUnits);
  const needNamed = new Set(needUnits.filter((j) => !directoryUnits.has(j)));
  const namedUnits = await namedPupilUnits(
    state,
    pending.map((p) => p.raw).filter((r) => needNamed.has(r.id)),
  );
  const parsed = new Map<string, ReturnType<typeof normalizeRecord>>();
  for (const { raw } of pending) {
    if (raw.op === 'delete') continue;
    const attributes =
      raw.op === 'modify'
        ? { ...current.get(raw.id)!.attributes, ...raw.attributes }
        : raw.attributes;
    parsed.set(
      raw.id,
      normalizeRecord(file.entity, raw.aafId ?? aafIdOf(raw.id), attributes, {
        levelHint: state.levelHint,
      }),
    );
  }
  // The persons and structures the records name, as directory keys of the delivery's scope.
  const references = await state.personKeys.persons(
    [...parsed.values()].flatMap((p) =>
      p.record?.kind === 'person' ? personReferences(p.record) : [],
    ),
  );
  // New pupil jointures that are known pupils found again by their INE.
  const ine = await matchByIne(
    state,
    file,
    pending.filter((p) => !p.head).map((p) => p.raw),
    (jointure) => {
      const record = parsed.get(jointure)?.record;
      return record?.kind === 'person' ? record.level : null;
    },
  );
  for (const { raw } of pending) {
    const now = current.get(raw.id);
    if (raw.op === 'delete') {
      await planDelete(state, file, now!);
      continue;
    }
    const attributes =
      raw.op === 'modify' ? { ...now!.attributes, ...raw.attributes } : raw.attributes;
    if (
      raw.op === 'modify' &&
      now!.state === 'active' &&
      now!.recordHash === recordHash(attributes) &&
      !arrivedSince(state, now!)
    ) {
      file.seen.set(raw.id, { category: now!.category });
      tally(file, 'unchanged');
      file.stats.add(now!.primaryStructure, 'unchanged', 1, now!.category);
      continue;
    }
    const { record, rejects, warnings } = parsed.get(raw.id)!;
    const named =
      record?.kind === 'person' ? keyedInDelivery(state, record, raw.id, references) : null;
    if (named && state.scope.scoped) {
      // Every establishment touched: what the record names (a relative: the establishment of the
      // pupil naming it in this delivery) and what the person holds now.
      const touched =
        named.category === 'relative'
          ? [relativeUnit(state, file, raw.id)].filter((u): u is string => u !== undefined)
          : named.structures;
      if (!inScope(state, [...touched, ...(held.get(raw.id) ?? [])])) {
        await rejectOutOfScope(state, file, raw);
        continue;
      }
    }
    // Links to structures the directory does not hold are left out (and warned about).
    const known = named ? withKnownStructures(named, (j) => state.structures.has(j)) : null;
    const person = known?.record ?? null;
    const unit =
      file.entity === 'PersRelEleve'
        ? (relativeUnit(state, file, raw.id) ??
          directoryUnits.get(raw.id) ??
          now?.primaryStructure ??
          null)
        : (person?.primaryStructure ?? now?.primaryStructure ?? null);
    // Rejects go to the establishment the record names (an unreadable record: its attachment…).
    const rejectUnit =
      unit ?? recordUnit(state, file, { ...raw, attributes }) ?? namedUnits.get(raw.id) ?? null;
    for (const reject of rejects)
      await rejectIn(state, file, { ...raw, xml: rawRecordXml(raw) }, reject, rejectUnit);
    if (!person) {
      tally(file, 'rejected');
      continue;
    }
    warnIn(state, file, raw.id, warnings, unit);
    warnIn(state, file, raw.id, unknownStructureWarnings(raw.id, known!.unknown), unit);
    if (person.category === 'relative' && !unit && state.deps.settings.keepUnlinkedRelatives) {
      warnIn(
        state,
        file,
        raw.id,
        [
          {
            code: 'RELATIVE_UNLINKED',
            message: `relative ${raw.id} is linked to no pupil: kept without an account`,
          },
        ],
        null,
      );
    }
    if (person.category === 'relative' && !state.deps.settings.keepUnlinkedRelatives && !unit) {
      const message = `relative ${raw.id} is linked to no pupil`;
      await rejectIn(
        state,
        file,
        { ...raw, xml: rawRecordXml(raw) },
        { code: 'UNLINKED_RELATIVE', message },
        null,
      );
      tally(file, 'rejected');
      continue;
    }
    const match = ine.get(raw.id);
    const sameIne = match !== undefined && person.ine === match.ine;
    await planChange(state, file, raw, person, attributes, sameIne ? match.current : now, unit, {
      unknownStructures: known!.unknown.map((u) => u.structure),
      ...(sameIne ? { renamedFrom: match.current.jointure } : {}),
    });
  }
}

/**
 * The batch under directory keys: each record's id becomes the key of its person in the
 * delivery's scope (a request the reader skipped already names its person). An id holding the
 * key separator is rejected INVALID_IDENTIFIER.
 */
async function keyedBatch(
  state: DeliveryState,
  file: FileScratch,
  batch: readonly BatchRecord[],
): Promise<BatchRecord[]> {
  const valid: BatchRecord[] = [];
  for (const raw of batch) {
    if (raw.skipped || !reservedId(raw.id)) {
      valid.push(raw);
      continue;
    }
    tally(file, 'rejected');
    await rejectIn(
      state,
      file,
      { ...raw, aafId: raw.id, xml: rawRecordXml(raw) },
      { code: 'INVALID_IDENTIFIER', message: reservedIdMessage('person', raw.id) },
      namedStructure(raw.attributes, state.structures),
    );
  }
  const keyOf = await state.personKeys.persons(valid.filter((r) => !r.skipped).map((r) => r.id));
  return valid.map((r) => (r.skipped ? r : { ...r, id: keyOf(r.id), aafId: r.id }));
}
