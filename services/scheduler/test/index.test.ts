import * as shipped from '@aaf-sync/calendar-effects';
import t from 'tap';
import { effectsFor, TICK_TASKS } from '../src/index.js';

t.test(
  'the scheduler process runs the shipped composition (packages/calendar-effects)',
  async (t) => {
    t.equal(effectsFor, shipped.effectsFor);
    t.equal(TICK_TASKS, shipped.TICK_TASKS);
  },
);
