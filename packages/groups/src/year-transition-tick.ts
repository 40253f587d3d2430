import type { EffectContext, EffectOutcome } from '@aaf-sync/scheduler';
import { runYearTransition, type YearTransitionReport } from './year-transition.js';

function body(r: YearTransitionReport): string {
  const lines = [
    `The initialisation complete of ${r.schoolYear} was applied: ${r.closed.length} class(es) and ` +
      `group(s) of ${r.endingSchoolYear} that no pupil re-created are closed.`,
  ];
  if (r.leftovers.length > 0) {
    lines.push(
      '',
      `Suspected ${r.endingSchoolYear} leftovers (pupils still in the class they had last year; ` +
        'move them out in SIECLE):',
      ...r.leftovers.map((l) => `- ${l.code} (${l.label}): ${l.stayed} of ${l.pupils} pupils`),
    );
  }
  if (r.teacherOnly.length > 0) {
    lines.push(
      '',
      `Codes referenced only by teachers (stale links, expected until ${r.staleTeachingLinksExpectedUntil}):`,
      ...r.teacherOnly.map((c) => `- ${c.kind} ${c.code}: ${c.teachers} teacher(s)`),
    );
  }
  lines.push('', `Report: GET /v1/establishments/${r.uai}/year-transition`);
  return lines.join('\n');
}

/**
 * For the scheduler's tick (every minute, and after imports): runs the year transition of the
 * establishments whose initialisation complete was applied since, and tells each one's admins
 * (`year-transition.report` notice, one per establishment and year). Nothing to do: one query.
 */
export async function yearTransitionTick(ctx: EffectContext): Promise<EffectOutcome> {
  const { schoolYear, ran } = await runYearTransition(ctx.db, { now: ctx.clock.now() });
  for (const r of ran) {
    await ctx.notify({
      kind: 'year-transition.report',
      uais: [r.uai],
      title:
        `Year ${r.schoolYear}: ${r.closed.length} class(es)/group(s) closed, ` +
        `${r.leftovers.length} suspected leftover(s)`,
      body: body(r),
      data: {
        schoolYear: r.schoolYear,
        closed: r.closed.length,
        leftovers: r.leftovers.map((l) => l.code),
        teacherOnly: r.teacherOnly.length,
      },
      dedupeKey: `${schoolYear}/year-transition/${r.uai}`,
    });
  }
  return {
    summary: `year transition: ${ran.length} establishment(s)`,
    counts: {
      establishments: ran.length,
      closed: ran.reduce((n, r) => n + r.closed.length, 0),
      leftovers: ran.reduce((n, r) => n + r.leftovers.length, 0),
    },
  };
}
