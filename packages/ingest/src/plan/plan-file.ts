import { PassThrough, type Readable } from 'node:stream';
import {
  readAafFile,
  readAafFileSkipping,
  unknownAttributeNames,
  type AafDeliveryFile,
  type ReadSummary,
  type SkipFilter,
} from '@aaf-sync/aaf';
import { isAppError } from '@aaf-sync/errors';
import { aafOptions } from '../deps.js';
import { updateFile } from '../run/import-run.repository.js';
import {
  CATEGORY_OF,
  mergeScratch,
  newFileScratch,
  rejectIn,
  tally,
  type DeliveryState,
  type FileScratch,
} from './delivery-state.js';
import { loadPersonHeads, type PersonHead } from './current-state.js';
import { namedStructureInXml } from './named-structure.js';
import { planPersonBatch, skippable, type BatchRecord } from './plan-persons.js';
import { planReferenceBatch, type ReferenceEntity } from './plan-reference.js';

const REFERENCE_OF: Record<string, ReferenceEntity> = {
  EtabEducNat: 'structure',
  MatiereEducNat: 'subject',
  MefEducNat: 'mef',
};

export interface FileOutcome {
  readonly fileId: number;
  readonly name: string;
  readonly ok: boolean;
  readonly error?: { code: string; message: string };
}

export type Progress = (bytes: number) => void;

function counted(input: Readable, onBytes?: Progress): Readable {
  if (!onBytes) return input;
  const pass = new PassThrough();
  pass.on('data', (chunk: Buffer) => onBytes(chunk.length));
  input.on('error', (err) => pass.destroy(err));
  return input.pipe(pass);
}

async function planBatch(
  state: DeliveryState,
  file: FileScratch,
  batch: BatchRecord[],
): Promise<void> {
  const reference = REFERENCE_OF[file.entity];
  if (reference) await planReferenceBatch(state, file, reference, batch);
  else if (CATEGORY_OF[file.entity]) await planPersonBatch(state, file, batch);
}

function countUnknown(file: FileScratch, names: readonly string[]): void {
  for (const name of unknownAttributeNames(file.entity, names)) {
    file.unknownAttributes.set(name, (file.unknownAttributes.get(name) ?? 0) + 1);
  }
}

/**
 * Which addRequests of a person file the reader may skip (see readAafFileSkipping): those whose
 * bytes the person was last applied from, while it is unchanged in the directory and not already
 * met in the delivery. Skipped records then cost no parsing, normalising or diffing.
 */
function skipFilter(
  state: DeliveryState,
  category: string,
  skipped: Map<string, PersonHead>,
): SkipFilter {
  return async (prints) => {
    // a first import: nothing to skip (the prints are stored with the persons created)
    if (state.noPersons) return new Set<string>();
    const keyOf = await state.personKeys.persons(prints.map((p) => p.id));
    const heads = await loadPersonHeads(
      state.deps.db,
      prints.map((p) => keyOf(p.id)),
    );
    const skip = new Set<string>();
    for (const { id, hash } of prints) {
      const key = keyOf(id);
      if (state.seen.has(key) || state.ineMerges.has(key)) continue;
      const head = heads.get(key);
      if (!skippable(state, head, category, hash)) continue;
      skip.add(id);
      skipped.set(id, head!);
    }
    return skip;
  };
}

/**
 * Reads one file of a delivery and adds its records to the plan, batch by batch. A file that
 * cannot be read whole (not XML, truncated, wrong root…) contributes nothing: its plan items and
 * rejects are dropped and the file is marked failed with the reader's error.
 */
export async function planFile(
  state: DeliveryState,
  file: AafDeliveryFile,
  fileId: number,
  onBytes?: Progress,
  onRecords?: (count: number) => void,
): Promise<FileOutcome> {
  const scratch = newFileScratch(fileId, file.fileName.name, file.fileName.entity);
  const input = counted(await file.open(), onBytes);
  const options = {
    fileName: file.fileName.name,
    entity: file.fileName.entity,
    ...aafOptions(state.deps),
  };
  // Person files skip the requests the directory holds byte for byte (not for a scoped
  // submitter, whose every record is checked against its establishments).
  const category = CATEGORY_OF[file.fileName.entity];
  /** The persons of the requests skipped and not yet planned, by AAF id. */
  const skipped = new Map<string, PersonHead>();
  const reader =
    category && !state.scope.scoped
      ? readAafFileSkipping(input, options, skipFilter(state, category, skipped))
      : readAafFile(input, options);
  const size = state.deps.settings.batchSize;
  let batch: BatchRecord[] = [];
  let summary: ReadSummary | undefined;
  let failure: unknown;
  // One batch is planned (database round trips) while the reader parses the next one.
  let inflight: Promise<void> | undefined;
  const launch = async (records: BatchRecord[]) => {
    if (inflight) await inflight;
    const next = planBatch(state, scratch, records);
    next.catch(() => {});
    inflight = next;
  };
  for (;;) {
    let step: IteratorResult<Awaited<ReturnType<typeof reader.next>>['value'], ReadSummary>;
    try {
      step = (await reader.next()) as typeof step;
    } catch (err) {
      failure = err;
      break;
    }
    if (step.done) {
      summary = step.value;
      break;
    }
    const item = step.value;
    if (typeof item !== 'object' || item === null || !('type' in item)) continue;
    if (item.type === 'reject') {
      // A request the reader could not read is a record of the file all the same: rejected, and
      // listed under the establishment it names when one can be made out.
      scratch.records++;
      tally(scratch, 'rejected');
      if (REFERENCE_OF[scratch.entity])
        scratch.references.add(REFERENCE_OF[scratch.entity]!, 'rejected');
      await rejectIn(
        state,
        scratch,
        { id: item.id ?? '', line: item.line, xml: item.raw },
        item.reject,
        CATEGORY_OF[scratch.entity] ? namedStructureInXml(item.raw, state.structures) : null,
      );
      continue;
    }
    scratch.records++;
    if (item.type === 'unchanged') {
      for (const name of item.unknownAttributes) {
        scratch.unknownAttributes.set(name, (scratch.unknownAttributes.get(name) ?? 0) + 1);
      }
      const head = skipped.get(item.id)!;
      batch.push({
        op: 'add',
        categoryAttribute: null,
        category: null,
        // the directory key of the person it matched
        id: head.jointure,
        attributes: {},
        line: item.line,
        rawHash: item.rawHash,
        skipped: { request: item, head },
      });
      skipped.delete(item.id);
    } else {
      countUnknown(scratch, Object.keys(item.record.attributes));
      batch.push(item.record);
    }
    if (batch.length >= size) {
      onRecords?.(batch.length);
      await launch(batch);
      batch = [];
    }
  }
  if (inflight) await inflight;
  if (failure !== undefined) {
    input.destroy();
    if (!isAppError(failure)) throw failure;
    state.plans.dropFile(fileId);
    await state.rejects.dropFile(fileId);
    const error = { code: failure.code, message: failure.message };
    await updateFile(state.deps.db, fileId, { status: 'failed', records: 0, rejects: 0, error });
    state.deps.log.warn(
      { file: file.fileName.name, code: failure.code },
      'file cannot be read: nothing of it is applied',
    );
    return { fileId, name: file.fileName.name, ok: false, error };
  }
  if (batch.length > 0) {
    onRecords?.(batch.length);
    await planBatch(state, scratch, batch);
  }
  mergeScratch(state, scratch);
  await updateFile(state.deps.db, fileId, {
    status: 'parsed',
    records: scratch.records,
    rejects: await fileRejects(state, fileId),
    unknownAttributes: Object.fromEntries(scratch.unknownAttributes),
    outcomes: { ...scratch.outcomes, warnings: warningsByCode(scratch) },
    encoding: summary?.encoding ?? null,
    formatVersion: summary?.formatVersion ?? null,
  });
  return { fileId, name: file.fileName.name, ok: true };
}

function warningsByCode(file: FileScratch): Record<string, number> {
  const out: Record<string, number> = {};
  for (const w of file.warnings) out[w.code] = (out[w.code] ?? 0) + 1;
  return out;
}

async function fileRejects(state: DeliveryState, fileId: number): Promise<number> {
  await state.rejects.flush();
  const row = await state.deps.db
    .selectFrom('import_reject')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('file_id', '=', fileId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
