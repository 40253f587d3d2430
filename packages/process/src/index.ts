export { lowerCpuPriority, type CpuPriority } from './cpu-priority.js';
export {
  PART_CLOSE_GRACE_MS,
  runProcess,
  type Closable,
  type ProcessContext,
  type RunProcessOptions,
} from './run-process.js';
export { STOP_SIGNALS, waitForStop, type SignalSource, type StopSignal } from './wait-for-stop.js';
