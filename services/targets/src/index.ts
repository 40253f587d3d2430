export { DRIVERS } from './drivers.js';
export { runTargetsProcess } from './run-targets.js';
