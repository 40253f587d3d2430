/** Rejects naming `what` when `p` has not settled after `ms`: a wait in a test is always bounded. */
export async function within<T>(what: string, p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Probes every `everyMs` until `probe` answers something truthy, and resolves to it; rejects
 * naming `what` after `timeoutMs`. For state that another process, worker or connection writes
 * (a row, a file, a request received) where the test has no event to await.
 *
 * @example
 * const run = await until('the import applied', () =>
 *   db.selectFrom('import_run').selectAll().where('status', '=', 'applied').executeTakeFirst(),
 * );
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 60_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
