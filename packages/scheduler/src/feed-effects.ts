import { loadCalendar } from '@aaf-sync/calendar-store';
import type { Transition } from '@aaf-sync/calendar';
import type { EffectContext, EffectOutcome, EffectRegistry } from './effects.js';
import { resubmitSuspended, type ArchiveFolders } from './directory-resume.js';
import { resumeTargets, suspendTargets } from './feed-targets.js';

function isDirectory(t: Transition): boolean {
  return t.scope.consumer === 'directory' && t.scope.target === undefined;
}

async function calendarDocument(ctx: EffectContext) {
  const stored = await loadCalendar(ctx.db);
  if (!stored) throw new Error('no calendar stored');
  return stored.document;
}

/**
 * `feed.suspend`: the directory (imports are then planned and reported, not applied: the engine
 * reads the calendar itself, see packages/ingest `feedSuspended`), ENT pull consumers (nothing
 * to switch: the API keeps serving what the directory holds), or the targets of a kind / a named
 * target (`suspended`).
 */
async function suspend(ctx: EffectContext, t: Transition): Promise<EffectOutcome> {
  if (isDirectory(t)) {
    await ctx.notify({
      kind: 'feed.suspended',
      uais: [],
      title: 'Directory feed suspended for the summer',
      body:
        'AAF files are still received, planned and reported, and are not applied until the ' +
        'directory resumes with the initialisation complete of the new year.',
      data: { transition: t.id, consumer: 'directory' },
      dedupeKey: `${t.id}/notice`,
    });
    return { summary: 'directory feed suspended: files are planned and reported, not applied' };
  }
  if (t.scope.consumer === 'ent') {
    return { summary: 'ENT pull consumers suspended (they read what the directory holds)' };
  }
  const r = await suspendTargets(ctx.db, t.scope, t.id);
  return {
    summary: `suspended: ${r.suspended.join(', ') || 'no active target'}`,
    counts: { suspended: r.suspended.length, alreadySuspended: r.alreadySuspended.length },
  };
}

/**
 * `feed.resume`: the directory queues again the initialisation complete received while it was
 * suspended (and the deltas after it) for the ingester; targets resume (`active`) with a full
 * reconcile, each on its own date.
 */
function resume(folders: ArchiveFolders) {
  return async (ctx: EffectContext, t: Transition): Promise<EffectOutcome> => {
    if (isDirectory(t)) {
      const doc = await calendarDocument(ctx);
      const r = await resubmitSuspended(
        ctx.db,
        folders,
        doc.feed.directory.suspendFrom.slice(0, 10),
        ctx.clock.now(),
      );
      const summary = r.complete
        ? `directory resumed: initialisation complete of ${r.complete.fileDate} queued (runs ${r.queued.join(', ')})`
        : 'directory resumed: no initialisation complete received yet (the next one is applied)';
      await ctx.notify({
        kind: 'feed.resumed',
        uais: [],
        title: 'Directory feed resumed',
        body:
          summary +
          (r.notArchived.length
            ? `; imports ${r.notArchived.join(', ')} are no longer archived: submit them again`
            : ''),
        data: { transition: t.id, consumer: 'directory', ...r },
        dedupeKey: `${t.id}/notice`,
      });
      return {
        summary,
        counts: {
          resubmitted: r.resubmitted.length,
          queued: r.queued.length,
          notArchived: r.notArchived.length,
        },
      };
    }
    if (t.scope.consumer === 'ent') {
      return { summary: 'ENT pull consumers resume (GET /v1/changes)' };
    }
    const r = await resumeTargets(ctx.db, t.scope, t.id);
    return {
      summary:
        `resumed with a full reconcile: ${r.resumed.join(', ') || 'none'}` +
        (r.keptSuspended.length ? `; left suspended by hand: ${r.keptSuspended.join(', ')}` : ''),
      counts: {
        resumed: r.resumed.length,
        keptSuspended: r.keptSuspended.length,
        reconcileRows: r.reconciledRows,
      },
    };
  };
}

/** Whether a complete dated `expectedFrom` or later arrived (any outcome but a dry run). */
async function initialisationReceived(ctx: EffectContext, from: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('import_run')
    .select('id')
    .where('kind', '=', 'complete')
    .where('dry_run', '=', false)
    .where('file_date', '>=', from)
    .where('status', 'not in', ['queued', 'failed', 'refused'])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

async function initialisationExpected(ctx: EffectContext, t: Transition): Promise<EffectOutcome> {
  await ctx.notify({
    kind: 'feed.initialisation-expected',
    uais: [],
    title: 'The initialisation complete of the new year is expected',
    body: `${t.summary}.`,
    data: { transition: t.id },
    dedupeKey: `${t.id}/notice`,
  });
  return { summary: 'initialisation complete expected: notice sent' };
}

async function initialisationOverdue(ctx: EffectContext, t: Transition): Promise<EffectOutcome> {
  const doc = await calendarDocument(ctx);
  const from = doc.feed.initialisationComplete.expectedFrom.slice(0, 10);
  if (await initialisationReceived(ctx, from)) {
    return { summary: 'initialisation complete received in time', counts: { missing: 0 } };
  }
  await ctx.notify({
    kind: 'feed.initialisation-overdue',
    uais: [],
    title: 'The initialisation complete has not arrived',
    body:
      `No complete dated ${from} or later has been received by ${t.at.toISOString()}. ` +
      'Ask the académie for the initialisation complete of the new year.',
    data: { transition: t.id, expectedFrom: from },
    dedupeKey: `${t.id}/notice`,
  });
  return { summary: 'initialisation complete overdue: alert sent', counts: { missing: 1 } };
}

/** The feed effects (suspension, resumption, initialisation complete alerts). */
export function feedEffects(folders: ArchiveFolders): EffectRegistry {
  return {
    'feed.suspend': suspend,
    'feed.resume': resume(folders),
    'feed.initialisation-expected': initialisationExpected,
    'feed.initialisation-overdue': initialisationOverdue,
  };
}
