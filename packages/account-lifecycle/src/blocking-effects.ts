import type { Transition } from '@aaf-sync/calendar';
import { syncAccessBlocks } from './access-blocks.js';
import type { EffectContext, EffectOutcome, EffectRegistry } from '@aaf-sync/scheduler';

/** The transition's instant, or now when it runs late (the state that holds now is applied). */
const instantOf = (ctx: EffectContext, t: Transition) => {
  const now = ctx.clock.now();
  return now < t.at ? t.at : now;
};

/**
 * `blocking.start` / `blocking.end`: the establishments of the transition's scope get the
 * blocking state of now (their principal's override applied), each account that changes gets its
 * `accessBlocked` event. Both types do the same thing (a state, not a toggle), so a missed start
 * run after the end blocks nobody and a replay writes nothing.
 */
async function applyBlocking(ctx: EffectContext, t: Transition): Promise<EffectOutcome> {
  const r = await syncAccessBlocks(ctx.db, {
    at: instantOf(ctx, t),
    uais: t.scope.uai ? [t.scope.uai] : null,
    exceptUais: t.scope.exceptUais,
    actor: 'calendar',
    source: t.id,
  });
  ctx.log.info({ transition: t.id, ...r }, 'access blocking applied');
  return {
    summary:
      `${r.blocked} account(s) blocked, ${r.unblocked} reopened in ${r.establishments} ` +
      `establishment(s)`,
    counts: { ...r },
  };
}

/** `blocking.notices-resume`: the académie and the establishments are told (one notice). */
async function noticesResume(ctx: EffectContext, t: Transition): Promise<EffectOutcome> {
  await ctx.notify({
    kind: 'blocking.notices-resume',
    uais: [],
    title: 'Account deactivation notices resume',
    body:
      'Notices to pupils and relatives about the deactivation of their accounts were suspended ' +
      'for the rentrée; they are sent again from now on.',
    data: { transition: t.id, at: t.at.toISOString() },
    dedupeKey: t.id,
  });
  return { summary: 'deactivation notices resume (notice published)' };
}

/** The rentrée blocking effects (EffectRegistry shape; the scheduler spreads them in). */
export const blockingEffects = {
  'blocking.start': applyBlocking,
  'blocking.end': applyBlocking,
  'blocking.notices-resume': noticesResume,
} satisfies EffectRegistry;
