/** Calls `fire` after `ms`; returns what cancels it. */
export type Timer = (ms: number, fire: () => void) => () => void;

/** The default `Timer`: a real `setTimeout`. Tests pass one they fire themselves. */
export const realTimer: Timer = (ms, fire) => {
  const timer = setTimeout(fire, ms);
  return () => clearTimeout(timer);
};

/**
 * Resolves true when `p` settles (resolves or rejects) before `timer` fires `ms` later, false
 * otherwise. Never rejects; the timer is disarmed either way.
 */
export async function settlesWithin(
  p: Promise<unknown>,
  ms: number,
  timer: Timer = realTimer,
): Promise<boolean> {
  let disarm: () => void = () => {};
  const late = new Promise<false>((resolve) => {
    disarm = timer(ms, () => resolve(false));
  });
  try {
    return await Promise.race([
      p.then(
        () => true as const,
        () => true as const,
      ),
      late,
    ]);
  } finally {
    disarm();
  }
}
