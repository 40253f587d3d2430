export { SHIPPED_DRIVERS, shippedDrivers, type ShippedDriverOptions } from './shipped-drivers.js';
export { KOXO_READBACK_CHECK_MS, shippedTasks } from './shipped-tasks.js';
export { runTargetsProcess } from './targets-process.js';
