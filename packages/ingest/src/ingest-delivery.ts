import { createHash } from 'node:crypto';
import type { AafDelivery, AafDeliveryFile, Level, PersonCategory } from '@aaf-sync/aaf';
import { normalizeRecord, readAafFile } from '@aaf-sync/aaf';
import type { ImportPhase } from '@aaf-sync/db';
import { applyPlan } from './apply/apply-plan.js';
import { aafOptions, nowOf, type IngestDeps } from './deps.js';
import { IngestErrors } from './errors.js';
import { holdsNoPerson } from './plan/current-state.js';
import { CATEGORY_OF, newFindings, type DeliveryState } from './plan/delivery-state.js';
import { activeCounts, decideHolds } from './plan/hold-decision.js';
import { planDepartures, type Coverage } from './plan/plan-departures.js';
import { planFile, type FileOutcome, type Progress } from './plan/plan-file.js';
import { PlanSpool } from './plan/plan-spool.js';
import { replanPending } from './plan/replan-pending.js';
import { scopeChangeOf, type ScopeChange } from './plan/scope-change.js';
import { PersonKeys } from './plan/scope-keys.js';
import { StructureDirectory } from './plan/structure-directory.js';
import { ACADEMY_WIDE, ScopeCheck, type SubmitterScope } from './plan/submitter-scope.js';
import { buildImportReport, type ImportReport } from './report/import-report.js';
import {
  recordIneConflicts,
  recordOrphanedRelatives,
  writeWarnings,
} from './report/import-warnings.js';
import { writeEstablishmentPlans } from './report/establishment-plans.js';
import {
  addUaisTouched,
  appliedFiles,
  auditApply,
  createRun,
  insertFile,
  startQueuedRun,
  lastAppliedComplete,
  setRunStatus,
  updateFile,
} from './run/import-run.repository.js';
import { finishRun } from './run/finish-run.js';
import {
  dropPlanItems,
  markPlannedApplied,
  persistPlanItems,
  supersedeOlderHolds,
} from './run/import-plan.repository.js';
import { RejectSink } from './run/reject-sink.js';
import { runError } from './run/run-error.js';
import { runStatusOf } from './run/run-status.js';

export interface DeliveryOptions {
  readonly dryRun: boolean;
  readonly source: string;
  readonly actor?: string | null;
  /**
   * The submitter's establishments (default academy-wide). A scoped submitter may not import a
   * complete; its records outside its establishments are rejected (OUT_OF_SCOPE) and its report
   * lists only its establishments.
   */
  readonly scope?: SubmitterScope;
  /** Bytes of XML read (the CLI progress bar). */
  readonly onProgress?: Progress;
  /** Records read, batch by batch. */
  readonly onRecords?: (count: number) => void;
  /** The import enters a phase (the ingester writes it to `import_run.progress`). */
  readonly onPhase?: (importId: number, phase: ImportPhase) => void;
  /** Reuse this run, created `queued` by the API, instead of creating one. */
  readonly runId?: number;
  /**
   * The calendar suspends the directory feed (the summer): the delivery is read, planned and
   * reported like any other, and nothing of it is applied (status `suspended`). At resumption
   * the scheduler submits the initialisation complete received meanwhile again.
   */
  readonly suspended?: boolean;
}

/** Refuses, before anything is read or recorded, what a scoped submitter may not import. */
export function assertSubmitterMayImport(
  delivery: Pick<AafDelivery, 'kind' | 'name'>,
  scope: SubmitterScope,
): void {
  if (scope.uais !== null && delivery.kind === 'complete')
    throw IngestErrors.COMPLETE_NOT_ALLOWED({ delivery: delivery.name });
}

/** The report as the submitter may see it: a scoped submitter sees its establishments only. */
function reportFor(
  deps: IngestDeps,
  importId: number,
  scope: SubmitterScope,
  full: ImportReport,
): Promise<ImportReport> | ImportReport {
  return scope.uais === null ? full : buildImportReport(deps.db, importId, { scope });
}

interface HashedFile {
  readonly file: AafDeliveryFile;
  readonly sha256: string;
  readonly size: number;
}

async function hashFile(file: AafDeliveryFile): Promise<HashedFile> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of await file.open()) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { file, sha256: hash.digest('hex'), size };
}

/** Level of a delivery: from its archive name, else from the first record's attribute names. */
async function sniffLevel(delivery: AafDelivery, deps: IngestDeps): Promise<Level> {
  if (delivery.level) return delivery.level;
  for (const file of delivery.files) {
    const input = await file.open();
    try {
      for await (const item of readAafFile(input, {
        fileName: file.fileName.name,
        ...aafOptions(deps),
      })) {
        if (item.type !== 'record' || item.record.op !== 'add') continue;
        const { record } = normalizeRecord(
          file.fileName.entity,
          item.record.id,
          item.record.attributes,
        );
        if (record && 'level' in record) return record.level;
      }
    } catch {
      // an unreadable file is reported by the planning pass
    } finally {
      input.destroy();
    }
  }
  return '2d';
}

/** Categories whose files were all read whole: only they can be found absent. */
function coveredCategories(
  outcomes: readonly (FileOutcome & { entity: string })[],
): Set<PersonCategory> {
  const out = new Set<PersonCategory>();
  for (const o of outcomes) {
    const category = CATEGORY_OF[o.entity as keyof typeof CATEGORY_OF];
    if (category && outcomes.filter((x) => x.entity === o.entity).every((x) => x.ok))
      out.add(category);
  }
  return out;
}

/**
 * Imports one delivery: checks (duplicate, stale), plans every file per establishment, decides
 * the safety holds, and — unless dry-run — applies the plan of the establishments not held in one
 * transaction. Returns the report (also stored in `import_run.summary`).
 */
export async function ingestDelivery(
  deps: IngestDeps,
  delivery: AafDelivery,
  options: DeliveryOptions,
): Promise<ImportReport> {
  const submitter = options.scope ?? ACADEMY_WIDE;
  assertSubmitterMayImport(delivery, submitter);
  const hashed = await Promise.all(delivery.files.map(hashFile));
  const level = await sniffLevel(delivery, deps);
  const scope = delivery.scope ?? '-';
  const contentHash = createHash('sha256')
    .update(
      hashed
        .map((h) => h.sha256)
        .sort()
        .join('\n'),
    )
    .digest('hex');
  const newRun = {
    kind: delivery.kind,
    scope,
    level,
    fileDate: delivery.date,
    source: options.source,
    deliveryName: delivery.name,
    contentHash,
    dryRun: options.dryRun,
    options: { actor: options.actor ?? null },
    submittedBy: options.actor ?? null,
    submitterUais: submitter.uais,
  };
  const importId =
    options.runId === undefined
      ? await createRun(deps.db, newRun, nowOf(deps))
      : await startQueuedRun(deps.db, options.runId, newRun);
  options.onPhase?.(importId, 'reading');
  const log = deps.log.child({ importId, delivery: delivery.name });
  const applied = await appliedFiles(
    deps.db,
    hashed.map((h) => ({ sha256: h.sha256, date: h.file.fileName.date })),
    submitter.uais,
  );
  const isApplied = (h: HashedFile) => applied.has(`${h.sha256} ${h.file.fileName.date}`);
  const fileIds = new Map<AafDeliveryFile, number>();
  for (const h of hashed) {
    const duplicate = delivery.kind === 'delta' && isApplied(h);
    const id = await insertFile(deps.db, importId, {
      name: h.file.fileName,
      sha256: h.sha256,
      size: h.size,
      status: duplicate ? 'duplicate' : 'pending',
    });
    fileIds.set(h.file, id);
  }
  const finish = async (status: 'duplicate' | 'refused', error: Record<string, unknown> | null) => {
    await setRunStatus(deps.db, importId, status, { error, finished: nowOf(deps) });
    const report = await finishRun(deps.db, importId);
    log.info({ status }, 'import not applied');
    options.onPhase?.(importId, 'done');
    return reportFor(deps, importId, submitter, report);
  };
  if (hashed.every(isApplied)) {
    return finish(
      'duplicate',
      runError(IngestErrors.DUPLICATE_DELIVERY({ delivery: delivery.name })),
    );
  }
  const lastComplete = await lastAppliedComplete(deps.db, scope, level);
  if (lastComplete && delivery.date < lastComplete) {
    const err = (
      delivery.kind === 'delta' ? IngestErrors.STALE_DELTA : IngestErrors.STALE_COMPLETE
    )({
      delivery: delivery.name,
      date: delivery.date,
      completeDate: lastComplete,
    });
    return finish('refused', runError(err));
  }
  try {
    return await planAndApply(deps, delivery, options, {
      importId,
      level,
      hashed,
      isApplied,
      fileIds,
      log,
    });
  } catch (err) {
    const error = runError(err);
    await dropPlanItems(deps.db, [importId]).catch(() => {});
    await setRunStatus(deps.db, importId, 'failed', { error, finished: nowOf(deps) }).catch(
      () => {},
    );
    log.error({ err }, 'import failed: nothing of it was applied');
    throw err;
  }
}

/** Ends a delivery whose scope token changed (see scopeChangeOf): refused, nothing applied. */
async function refuseScopeChange(
  deps: IngestDeps,
  delivery: AafDelivery,
  options: DeliveryOptions,
  run: { importId: number; log: IngestDeps['log'] },
  state: DeliveryState,
  change: ScopeChange,
): Promise<ImportReport> {
  await state.rejects.flush();
  await writeWarnings(deps.db, run.importId, state.warnings);
  const err = IngestErrors.SCOPE_CHANGED({
    delivery: delivery.name,
    scope: change.scope,
    holders: change.holders.join(', '),
  });
  await setRunStatus(deps.db, run.importId, 'refused', {
    error: runError(err),
    finished: nowOf(deps),
  });
  run.log.warn({ ...change }, 'import refused: its scope token changed');
  const report = await finishRun(deps.db, run.importId);
  options.onPhase?.(run.importId, 'done');
  return reportFor(deps, run.importId, options.scope ?? ACADEMY_WIDE, report);
}

async function planAndApply(
  deps: IngestDeps,
  delivery: AafDelivery,
  options: DeliveryOptions,
  run: {
    importId: number;
    level: Level;
    hashed: readonly HashedFile[];
    isApplied: (h: HashedFile) => boolean;
    fileIds: ReadonlyMap<AafDeliveryFile, number>;
    log: IngestDeps['log'];
  },
): Promise<ImportReport> {
  const plans = await PlanSpool.create(run.importId);
  try {
    return await planAndApplyWith(deps, delivery, options, run, plans);
  } finally {
    await plans.dispose();
  }
}

async function planAndApplyWith(
  deps: IngestDeps,
  delivery: AafDelivery,
  options: DeliveryOptions,
  run: Parameters<typeof planAndApply>[3],
  plans: PlanSpool,
): Promise<ImportReport> {
  const { importId, log } = run;
  const started = Date.now();
  const fileScope = delivery.scope ?? '-';
  const structures = await StructureDirectory.load(deps.db, fileScope);
  const noPersons = await holdsNoPerson(deps.db);
  const fastFirstImport = deps.settings.fastFirstImport !== false;
  const state: DeliveryState = {
    deps,
    importId,
    kind: delivery.kind,
    levelHint: delivery.level,
    fileScope,
    structures,
    personKeys: await PersonKeys.load(deps.db, fileScope),
    scope: new ScopeCheck(options.scope ?? ACADEMY_WIDE, structures),
    plans,
    rejects: new RejectSink(deps.db, importId),
    ...newFindings(),
    uaiConflicts: new Map(),
    ineMerges: new Map(),
    writesFingerprints: !options.dryRun,
    noPersons,
    lightCreates: noPersons && fastFirstImport && !options.dryRun,
  };
  const outcomes: (FileOutcome & { entity: string })[] = [];
  const knewScope = structures.ownCount > 0;
  let scopeChecked = false;
  for (const h of run.hashed) {
    if (delivery.kind === 'delta' && run.isApplied(h)) continue;
    // The structures are read first (ENTITY_ORDER): the same schools under another scope token
    // are refused before any person is planned.
    if (!scopeChecked && h.file.fileName.entity !== 'EtabEducNat') {
      scopeChecked = true;
      const change = scopeChangeOf(state, knewScope);
      if (change) return refuseScopeChange(deps, delivery, options, run, state, change);
    }
    const outcome = await planFile(
      state,
      h.file,
      run.fileIds.get(h.file)!,
      options.onProgress,
      options.onRecords,
    );
    outcomes.push({ ...outcome, entity: h.file.fileName.entity });
  }
  options.onPhase?.(importId, 'planning');
  let coverage: Coverage | undefined;
  if (delivery.kind === 'complete') {
    const etab = outcomes.filter((o) => o.entity === 'EtabEducNat');
    const declared = [...state.seenReferences]
      .filter((k) => k.startsWith('structure:'))
      .map((k) => k.slice(10));
    coverage = {
      structures: new Set(
        etab.length > 0 && etab.every((o) => o.ok) ? declared : state.referencedStructures,
      ),
      categories: coveredCategories(outcomes),
    };
  }
  const replanned = await replanPending(state, coverage);
  if (replanned > 0) log.info({ persons: replanned }, 'unknown structures arrived: links planned');
  if (coverage) await planDepartures(state, coverage);
  await plans.close();
  await state.rejects.flush();
  await writeWarnings(deps.db, importId, state.warnings);
  state.warnings.length = 0;
  // What planning needed per person is spent: let the apply run in the memory of one batch.
  state.seen.clear();
  state.relativeUnits.clear();
  log.info({ items: plans.size, ms: Date.now() - started }, 'plan computed');
  const active = await activeCounts(deps.db, state.stats.structures());
  const held = decideHolds(state.stats, active, deps.settings);
  for (const structure of state.uaiConflicts.keys()) held.add(structure);
  // A suspended import's plans are reported like a dry run's: nothing of them can be approved.
  const notApplied = options.dryRun || options.suspended === true;
  await writeEstablishmentPlans(deps.db, importId, state, active, held, notApplied);
  const size = deps.settings.batchSize;
  const isHeld = (i: { unit: string | null }) => i.unit !== null && held.has(i.unit);
  // Plans that outlive the import: the whole plan of a dry run, the held establishments'.
  if (options.dryRun || (held.size > 0 && !options.suspended)) {
    await persistPlanItems(
      deps.db,
      importId,
      plans.batches(size, options.dryRun ? () => true : isHeld),
    );
  }
  const failedFiles = outcomes.filter((o) => !o.ok).map((o) => ({ file: o.name, ...o.error }));
  const fileError =
    failedFiles.length > 0
      ? runError(IngestErrors.FILES_FAILED({ count: failedFiles.length }), { files: failedFiles })
      : null;
  // The plans as they will stand once applied (a dry run never holds: its establishments say
  // overThreshold instead); nothing of a delivery whose every file failed could be planned; while
  // the calendar suspends the directory feed, a delivery is planned and reported, not applied.
  const status = runStatusOf({
    plans: state.stats.structures().map((s) => (held.has(s) ? 'held' : 'applied')),
    dryRun: options.dryRun,
    suspended: options.suspended === true,
    everyFileFailed: outcomes.length > 0 && outcomes.every((o) => !o.ok),
  });
  if (status === 'failed' || status === 'dry_run' || status === 'suspended') {
    await setRunStatus(deps.db, importId, status, { error: fileError, finished: nowOf(deps) });
    if (status === 'suspended') {
      log.info(
        { items: plans.size },
        'directory feed suspended by the calendar: planned, not applied',
      );
    }
  } else {
    await setRunStatus(deps.db, importId, 'applying');
    options.onPhase?.(importId, 'applying');
    await deps.db.transaction().execute(async (trx) => {
      const outcome = await applyPlan(
        trx,
        deps,
        importId,
        structures,
        plans.batches(size, (i) => !isHeld(i)),
        options.actor ?? null,
        { firstImport: noPersons && fastFirstImport },
      );
      log.info({ ...outcome, held: [...held], ms: Date.now() - started }, 'plan applied');
      await addUaisTouched(trx, importId, outcome.uais);
      // API uploads leave their trace with the UAIs they changed (the request's own audit row,
      // written by the API, does not know them).
      if (options.actor?.startsWith('key:')) {
        await auditApply(trx, {
          importId,
          actor: options.actor,
          action: 'imports.apply',
          uais: outcome.uais,
          details: { delivery: delivery.name, kind: delivery.kind, status },
        });
      }
      for (const o of outcomes) if (o.ok) await updateFile(trx, o.fileId, { status: 'applied' });
      await markPlannedApplied(trx, importId);
      await supersedeOlderHolds(trx, importId, delivery.kind);
      await recordOrphanedRelatives(trx, importId);
      await recordIneConflicts(trx, importId);
      await setRunStatus(trx, importId, status, { error: fileError, finished: nowOf(deps) });
    });
  }
  const report = await finishRun(deps.db, importId);
  options.onPhase?.(importId, 'done');
  return reportFor(deps, importId, options.scope ?? ACADEMY_WIDE, report);
}
