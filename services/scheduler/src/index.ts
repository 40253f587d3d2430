export { effectsFor, TICK_TASKS } from './effects.js';
export { runSchedulerProcess } from './run-scheduler.js';
