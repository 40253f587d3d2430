import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** What `lowerCpuPriority` did. */
export interface CpuPriority {
  /** The nice value of the process's main thread now (0 = normal, 19 = lowest). */
  readonly nice: number;
  /** Threads whose nice value was changed (0: nothing to do, or not allowed). */
  readonly threads: number;
}

/** The thread ids of this process (Linux `/proc/self/task`); just the process elsewhere. */
function threadIds(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    return [0];
  }
}

/**
 * Lowers this process's CPU priority to the nice value `nice` (0..19), so that a bulk job (the
 * ingester applying a complete) leaves the cores to the latency-bound processes it shares them
 * with (the API) while they need them, and takes whatever they leave (a nice value costs
 * nothing on an idle machine). Never raises a priority: a value at or below the current one
 * changes nothing (raising needs privileges, and an operator's `nice`/systemd `Nice=` wins).
 *
 * On Linux the nice value belongs to each thread: every thread running now is lowered (V8's
 * garbage collector and compiler threads, libuv's pool), and threads started later inherit it
 * from the thread that starts them.
 *
 * @example
 * lowerCpuPriority(config.ingest.nice); // INGEST_NICE, 10 by default
 */
export function lowerCpuPriority(nice: number): CpuPriority {
  if (!Number.isInteger(nice) || nice < 0 || nice > 19)
    throw new RangeError(`nice value out of 0..19: ${nice}`);
  let threads = 0;
  for (const tid of threadIds()) {
    try {
      if (getPriority(tid) >= nice) continue;
      setPriority(tid, nice);
      threads++;
    } catch {
      // the thread ended since it was listed
    }
  }
  return { nice: getPriority(), threads };
}
