/** The signals that stop a long-running process. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** Where stop signals come from: `process`, or an EventEmitter in tests. */
export interface SignalSource {
  once(event: StopSignal, listener: () => void): unknown;
  off(event: StopSignal, listener: () => void): unknown;
}

/**
 * Resolves with the first SIGINT or SIGTERM, then removes its listeners: a second signal during
 * shutdown gets Node's default handling (the process ends at once), an operator's way out of a
 * shutdown that hangs.
 */
export function waitForStop(signals: SignalSource = process): Promise<StopSignal> {
  return new Promise((resolve) => {
    const handlers = STOP_SIGNALS.map((signal) => {
      const handler = () => {
        for (const [s, h] of handlers) signals.off(s, h);
        resolve(signal);
      };
      return [signal, handler] as const;
    });
    for (const [s, h] of handlers) signals.once(s, h);
  });
}
