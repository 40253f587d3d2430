import { EVENT_WRITER_LOCK, sql, type Database, type Transaction } from '@aaf-sync/db';
import type { IngestDeps } from '../deps.js';
import type { LeaveItem, PersonChangeItem, PlanItem, ReferenceItem } from '../plan/plan-item.js';
import type { StructureDirectory } from '../plan/structure-directory.js';
import { queueRelativesOnCodesChange } from './account-codes-change.js';
import type { ApplyContext } from './apply-context.js';
import { applyLeaves } from './apply-departures.js';
import { applyPersonChanges } from './apply-person-changes.js';
import { applyReferences } from './apply-references.js';
import { ClassCache } from './class-cache.js';
import { holdsNoPersonData } from './empty-directory.js';
import { EventBuffer } from './event-buffer.js';
import { readAhead } from './read-ahead.js';
import { recomputeRelativeStructures } from './relative-structures.js';
import { TableStatistics } from './table-statistics.js';

export interface ApplyOutcome {
  readonly items: number;
  readonly events: number;
  readonly identifiers: number;
  readonly classesEmptied: number;
  readonly relativesRecomputed: number;
  /** UAIs of the establishments changed (those of the events written), sorted. */
  readonly uais: readonly string[];
}

/**
 * Applies plan items inside the caller's transaction, batch by batch and in plan order:
 * structures and nomenclatures, persons with their links and events, departures, then the
 * relatives' establishments (all of them when RELATIVE_ACCOUNT_LEGAL_CODES changed) and the
 * classes left empty.
 */
export async function applyPlan(
  trx: Transaction<Database>,
  deps: IngestDeps,
  importId: number,
  structures: StructureDirectory,
  batches: AsyncIterable<readonly PlanItem[]>,
  actor: string | null = null,
  options: { readonly firstImport?: boolean } = {},
): Promise<ApplyOutcome> {
  // The event-log lock first, for the whole apply: identifier allocation takes counter locks and
  // admin identifier changes take this lock first, so this order cannot deadlock with them.
  await sql`select pg_advisory_xact_lock(${EVENT_WRITER_LOCK})`.execute(trx);
  // (planned on an empty directory: checked again in the transaction, the plan's look-ups were not made)
  const firstImport = options.firstImport === true && (await holdsNoPersonData(trx));
  const events = new EventBuffer(trx, { importId, actor }, { copy: firstImport });
  const run = await trx
    .selectFrom('import_run')
    .select(['scope', 'submitter_uais'])
    .where('id', '=', importId)
    .executeTakeFirst();
  const ctx: ApplyContext = {
    trx,
    deps,
    importId,
    scope: run?.scope ?? '-',
    structures,
    events,
    identifiers: deps.identifiers?.(trx),
    classes: new ClassCache(trx, events, structures, importId),
    touchedRelatives: new Set(),
    touchedClasses: new Set(),
    firstImport,
    tally: { identifiers: 0 },
  };
  // RELATIVE_ACCOUNT_LEGAL_CODES changed since the last apply: every relative recomputed.
  await queueRelativesOnCodesChange(ctx, (run?.submitter_uais ?? null) !== null);
  const statistics = new TableStatistics(trx);
  let items = 0;
  for await (const all of readAhead(batches)) {
    items += all.length;
    await applyReferences(
      ctx,
      all.filter((i): i is ReferenceItem => i.entity !== 'person'),
    );
    await applyPersonChanges(
      ctx,
      all.filter(
        (i): i is PersonChangeItem =>
          i.entity === 'person' &&
          (i.action === 'create' || i.action === 'update' || i.action === 'restore'),
      ),
    );
    await applyLeaves(
      ctx,
      all.filter((i): i is LeaveItem => i.action === 'depart' || i.action === 'leave'),
    );
    await statistics.afterBatch(items);
  }
  const relativesRecomputed = await recomputeRelativeStructures(ctx);
  const classesEmptied = await ctx.classes.markEmpty(ctx.touchedClasses);
  await ctx.identifiers?.finish();
  await events.flush();
  return {
    items,
    events: events.written,
    identifiers: ctx.tally.identifiers,
    classesEmptied,
    relativesRecomputed,
    uais: [...events.uais].sort(),
  };
}
