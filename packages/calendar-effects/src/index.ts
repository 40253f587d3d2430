export { effectsFor, TICK_TASKS } from './shipped-effects.js';
export { runSchedulerProcess } from './scheduler-process.js';
