/**
 * The batches of `source`, each asked for as soon as the previous one is handed out: reading
 * and decoding the next batch of the plan spool (JSON) runs while the apply waits for
 * PostgreSQL on the current one, instead of after it. At most one batch is read ahead.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = it.next();
      // (a failure of the batch read ahead is thrown at its turn, not as an unhandled rejection)
      next.catch(() => {});
      yield r.value;
    }
  } finally {
    // stopped early (a failed apply): let the source close its file
    await next
      .then(
        () => it.return?.(),
        () => {},
      )
      .catch(() => {});
  }
}
