import { normalizeRecord, recordHash, type RawRecord } from '@aaf-sync/aaf';
import { sql } from '@aaf-sync/db';
import { canonical } from './person-diff.js';
import { rejectIn, tally, warnIn, type DeliveryState, type FileScratch } from './delivery-state.js';
import type { ReferenceRecord } from './plan-item.js';
import { warningRow } from '../report/import-warnings.js';
import { rawRecordXml } from './raw-xml.js';
import { outOfScopeMessage } from './submitter-scope.js';
import { keyedStructureRecord } from './keyed-record.js';
import { reservedId, reservedIdMessage } from './scope-keys.js';

export type ReferenceEntity = 'structure' | 'subject' | 'mef';

const TABLES: Record<ReferenceEntity, { table: string; key: string }> = {
  structure: { table: 'structure', key: 'jointure' },
  subject: { table: 'subject', key: 'code' },
  mef: { table: 'mef', key: 'code' },
};

/** The directory columns of a reference record (what its events and the report compare). */
export function referenceColumns(record: ReferenceRecord): Record<string, unknown> {
  switch (record.kind) {
    case 'structure':
      return {
        uai: record.uai,
        name: record.name,
        type: record.type,
        contract: record.contract,
        academy: record.academy,
        level: record.level,
      };
    case 'subject':
      return { label: record.label };
    case 'mef':
      return { label: record.label, attachment: record.attachment, stat11: record.stat11 };
  }
}

export function referenceKey(record: ReferenceRecord): string {
  return record.kind === 'structure' ? record.jointure : record.code;
}

interface Existing {
  readonly key: string;
  readonly version: number;
  readonly hash: string;
  readonly attributes: Record<string, string[]>;
  readonly columns: Record<string, unknown>;
}

async function loadExisting(
  state: DeliveryState,
  entity: ReferenceEntity,
  keys: readonly string[],
): Promise<Map<string, Existing>> {
  const { table, key } = TABLES[entity];
  const rows = await sql<Record<string, unknown>>`
    select * from ${sql.table(table)} where ${sql.ref(key)} = any(${[...keys]}::text[])`.execute(
    state.deps.db,
  );
  const out = new Map<string, Existing>();
  for (const r of rows.rows) {
    const { [key]: k, version, record_hash, attributes, ...rest } = r;
    out.set(String(k), {
      key: String(k),
      version: Number(version),
      hash: String(record_hash),
      attributes: attributes as Record<string, string[]>,
      columns: rest,
    });
  }
  return out;
}

function fieldDiff(before: Record<string, unknown> | null, after: Record<string, unknown>) {
  const fields: Record<string, readonly [unknown, unknown]> = {};
  for (const [name, value] of Object.entries(after)) {
    const old = before?.[name] ?? null;
    if (canonical(old) !== canonical(value ?? null)) fields[name] = [old, value ?? null];
  }
  return fields;
}

/** Plans a batch of EtabEducNat, MatiereEducNat or MefEducNat records. */
export async function planReferenceBatch(
  state: DeliveryState,
  file: FileScratch,
  entity: ReferenceEntity,
  batch: readonly RawRecord[],
): Promise<void> {
  // A structure is named by its directory key in the delivery's scope (see scope-keys.ts);
  // subjects and MEFs are national nomenclatures, named by their code.
  const records: (RawRecord & { aafId?: string })[] =
    entity === 'structure'
      ? batch.map((r) =>
          reservedId(r.id) ? r : { ...r, id: state.structures.keyOf(r.id), aafId: r.id },
        )
      : [...batch];
  const existing = await loadExisting(
    state,
    entity,
    records.map((r) => r.id),
  );
  // A record dropped: counted once, whatever the number of its rejects.
  const dropped = () => {
    tally(file, 'rejected');
    file.references.add(entity, 'rejected');
  };
  for (const raw of records) {
    const xml = () => rawRecordXml(raw);
    const own = entity === 'structure' ? raw.id : null;
    if (
      state.seenReferences.has(`${entity}:${raw.id}`) ||
      file.seenReferences.has(`${entity}:${raw.id}`)
    ) {
      await rejectIn(
        state,
        file,
        { ...raw, xml: xml() },
        { code: 'DUPLICATE_RECORD', message: `${raw.id} appears twice in the delivery` },
        own,
      );
      dropped();
      continue;
    }
    const sentUai = raw.attributes.ENTStructureUAI?.[0] ?? null;
    if (entity === 'structure' && raw.aafId === undefined) {
      // its id holds the key separator
      await rejectIn(
        state,
        file,
        { ...raw, aafId: raw.id, xml: xml() },
        { code: 'INVALID_IDENTIFIER', message: reservedIdMessage('structure', raw.id) },
        null,
        sentUai,
      );
      dropped();
      continue;
    }
    const current = existing.get(raw.id);
    const outOfScope = (uai: string | null) =>
      rejectIn(
        state,
        file,
        { ...raw, xml: xml() },
        { code: 'OUT_OF_SCOPE', message: outOfScopeMessage(`${entity} ${raw.id}`) },
        own,
        uai,
      );
    // Subjects and MEFs are the académie's nomenclature; a structure is the submitter's only when
    // both its UAI in the directory and the one it sends are.
    if (
      state.scope.scoped &&
      (entity !== 'structure' || (current && !state.scope.allowsUai(state.structures.uai(raw.id))))
    ) {
      await outOfScope(entity === 'structure' ? sentUai : null);
      dropped();
      continue;
    }
    if (raw.op === 'delete') {
      const message = `${entity} ${raw.id}: deleteRequest ignored, ${entity}s are never deleted by an AAF import`;
      await rejectIn(
        state,
        file,
        { ...raw, xml: xml() },
        { code: 'UNSUPPORTED_OPERATION', message },
        own,
      );
      dropped();
      continue;
    }
    if (raw.op === 'modify' && !current) {
      await rejectIn(
        state,
        file,
        { ...raw, xml: xml() },
        { code: 'UNKNOWN_ENTITY', message: `modifyRequest for unknown ${entity} ${raw.id}` },
        own,
      );
      dropped();
      continue;
    }
    file.seenReferences.add(`${entity}:${raw.id}`);
    const attributes =
      raw.op === 'modify' ? { ...current!.attributes, ...raw.attributes } : raw.attributes;
    const hash = recordHash(attributes);
    const read = normalizeRecord(file.entity, raw.aafId ?? raw.id, attributes, {
      levelHint: state.levelHint,
    });
    const { rejects, warnings } = read;
    const record =
      read.record?.kind === 'structure'
        ? keyedStructureRecord(read.record, () => raw.id)
        : read.record;
    if (record?.kind === 'structure' && !state.scope.allowsUai(record.uai)) {
      await outOfScope(record.uai);
      dropped();
      continue;
    }
    for (const reject of rejects) await rejectIn(state, file, { ...raw, xml: xml() }, reject, own);
    if (!record || record.kind === 'person') {
      dropped();
      continue;
    }
    const conflict =
      record.kind === 'structure' && !current && record.uai
        ? state.structures.holderOf(record.uai, record.jointure)
        : undefined;
    if (record.kind === 'structure' && conflict !== undefined) {
      // A second jointure for a known school: held for approval, unknown to this delivery.
      state.uaiConflicts.set(record.jointure, conflict);
      const message =
        `new structure ${record.jointure} has UAI ${record.uai}, held by structure ` +
        `${conflict}: held for approval`;
      file.warnings.push(warningRow({ code: 'UAI_CONFLICT', message }, raw.id, own, record.uai));
    } else if (record.kind === 'structure') {
      state.structures.set({ jointure: record.jointure, uai: record.uai, name: record.name });
    }
    warnIn(state, file, raw.id, warnings, own);
    // Its establishment has a line in the report, even if none of its persons changes.
    if (own) file.stats.touch(own);
    if (current && current.hash === hash) {
      tally(file, 'unchanged');
      file.references.add(entity, 'unchanged');
      continue;
    }
    const fields = fieldDiff(current?.columns ?? null, referenceColumns(record));
    // A structure held for its UAI is not created until approved (held-structure-outcomes.ts).
    const outcome = conflict !== undefined ? 'held' : current ? 'updated' : 'created';
    tally(file, outcome);
    file.references.add(entity, outcome);
    await state.plans.add({
      entity,
      action: current ? 'update' : 'create',
      key: referenceKey(record),
      unit: own,
      baseVersion: current?.version ?? null,
      fileId: file.fileId,
      payload: { record, attributes, hash, fields },
    });
  }
}
