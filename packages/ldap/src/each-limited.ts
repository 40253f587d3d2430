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

/** `eachLimited` that keeps what `fn` answers: the results in the order of `items`. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (t: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const indexed = items.map((item, index) => ({ item, index }));
  await eachLimited(indexed, limit, async ({ item, index }) => {
    results[index] = await fn(item);
  });
  return results;
}
