/**
 * Runs `fn` over `items` with at most `limit` at a time (the operations a pool of `limit`
 * sessions can carry); rejects with the first error.
 */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (t: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
