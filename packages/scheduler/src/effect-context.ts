import type { Clock } from '@aaf-sync/calendar';
import type { Database, Kysely } from '@aaf-sync/db';
import type { Logger } from '@aaf-sync/logger';
import type { EffectContext } from './effects.js';
import { recordNotice } from './notices.js';

/**
 * The context an effect or a tick task runs with: `db` (a transition's own transaction, joined
 * by `joinedTransaction`, or the pool for tick tasks), the clock of the run, a logger, and
 * `notify` recording notices through the same `db` (so a transition's notices commit with it).
 */
export function effectContext(o: {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly log: Logger;
}): EffectContext {
  return {
    db: o.db,
    clock: o.clock,
    log: o.log,
    notify: async (notice) => {
      await recordNotice(o.db, notice);
    },
  };
}
