/**
 * `task` run at most once at a time: a call while it runs asks for one more run after it (calls
 * meanwhile share that one) and resolves when a run that started after the call has ended. So
 * every call is answered by a whole run begun after it, and a burst of calls costs two runs.
 */
export function coalesced(task: () => Promise<unknown>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const start = (): Promise<void> =>
    (running = (async () => {
      try {
        await task();
      } finally {
        running = undefined;
      }
    })());
  return () => {
    if (!running) return start();
    next ??= running
      .catch(() => {})
      .then(() => {
        next = undefined;
        return start();
      });
    return next;
  };
}
