import { TRANSITION_TYPES } from '@aaf-sync/calendar';
import type { Config } from '@aaf-sync/config';
import t from 'tap';
import { effectsFor, TICK_TASKS } from '../src/index.js';

const config = {
  ingest: { archiveDir: '/tmp/archive', uploadDir: '/tmp/upload' },
  aafLimits: {},
  scheduler: { deliveryAlertMs: 86_400_000 },
} as unknown as Config;

t.test('the shipped effects handle every transition type of the calendar', async (t) => {
  const effects = effectsFor(config);
  const missing = TRANSITION_TYPES.filter((type) => typeof effects[type] !== 'function');
  t.same(missing, [], 'no transition type is left unhandled');
  t.same(
    TICK_TASKS.map((f) => f.name),
    ['yearTransitionTick'],
    'the year transition runs at every tick',
  );
});
