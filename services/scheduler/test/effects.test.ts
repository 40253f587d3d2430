import { TRANSITION_TYPES } from '@aaf-sync/calendar';
import type { Config } from '@aaf-sync/config';
import t from 'tap';
import { effectsFor, TICK_TASKS } from '../src/effects.js';

const config = {
  ingest: { archiveDir: '/tmp/archive', uploadDir: '/tmp/upload' },
  aafLimits: {},
  scheduler: { deliveryAlertMs: 86_400_000 },
} as unknown as Config;

t.test(
  'the scheduler process runs an effect for every transition type of the calendar',
  async (t) => {
    const effects = effectsFor(config);
    const missing = TRANSITION_TYPES.filter((type) => typeof effects[type] !== 'function');
    t.same(missing, [], 'no transition type is left unhandled');
    t.equal(TICK_TASKS.length, 1, 'the year transition runs at every job');
  },
);
