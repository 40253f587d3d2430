// The composition moved to packages/calendar-effects; re-exported for existing importers.
export { effectsFor, TICK_TASKS } from '@aaf-sync/calendar-effects';
export { runSchedulerProcess } from './run-scheduler.js';
