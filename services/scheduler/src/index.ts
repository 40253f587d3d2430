export { effectsFor } from './effects.js';
export { runSchedulerProcess } from './run-scheduler.js';
