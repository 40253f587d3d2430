export { effectsFor, TICK_TASKS } from './shipped-effects.js';
