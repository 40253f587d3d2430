import type { Transition } from '@aaf-sync/calendar';
import type { EffectContext, EffectOutcome, EffectRegistry } from './effects.js';

/** A deadline passed longer ago than this is recorded without an alert (default 7 days). */
export const DEFAULT_ALERT_WITHIN_MS = 7 * 86_400_000;

/**
 * `delivery.due`: at the deadline of an expected AAF file, a `delivery.missing` notice when no
 * file of that kind and day was received (whatever became of it: applied, suspended, refused…).
 * A deadline far in the past (a calendar stored late, a long outage) is recorded without alert:
 * GET /v1/calendar/deliveries still lists it as missing.
 */
export function deliveryEffects(o: { alertWithinMs?: number } = {}): EffectRegistry {
  const within = o.alertWithinMs ?? DEFAULT_ALERT_WITHIN_MS;
  return {
    'delivery.due': async (ctx: EffectContext, t: Transition): Promise<EffectOutcome> => {
      const kind = String(t.details.kind) as 'delta' | 'complete';
      const date = String(t.details.date);
      const got = await ctx.db
        .selectFrom('import_run')
        .select('id')
        .where('kind', '=', kind)
        .where('file_date', '=', date)
        .where('dry_run', '=', false)
        .limit(1)
        .executeTakeFirst();
      if (got) return { summary: `the ${kind} of ${date} was received`, counts: { missing: 0 } };
      if (ctx.clock.now().getTime() - t.at.getTime() > within) {
        return {
          summary: `the ${kind} of ${date} is missing (deadline long past: no alert)`,
          counts: { missing: 1, alerted: 0 },
        };
      }
      await ctx.notify({
        kind: 'delivery.missing',
        uais: [],
        title: `AAF ${kind} of ${date} missing`,
        body:
          `The ${kind} of ${date} was expected by ${t.at.toISOString()} and has not arrived. ` +
          'Check the transfer from the académie (GET /v1/calendar/deliveries lists every expected file).',
        data: { kind, date, deadline: t.at.toISOString() },
        dedupeKey: `delivery.missing/${kind}/${date}`,
      });
      ctx.log.warn({ kind, date }, 'expected AAF file missing');
      return {
        summary: `the ${kind} of ${date} is missing: alert sent`,
        counts: { missing: 1, alerted: 1 },
      };
    },
  };
}
