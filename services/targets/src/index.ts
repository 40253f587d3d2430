export { driversFor } from './drivers.js';
export { runTargetsProcess } from './run-targets.js';
