/** Error codes of a write to a pipe whose reader has gone (`… | head`), then to the closed stream. */
const CLOSED = new Set(['EPIPE', 'ERR_STREAM_DESTROYED']);

/**
 * Lets the command finish when the program reading its output exits early (`pnpm aaf-sync
 * targets list | head`): what it writes after that is dropped, instead of an unhandled 'error'
 * event crashing the process with a stack trace. Any other write error is thrown as before.
 */
export function ignoreClosedPipe(stream: NodeJS.WritableStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (!CLOSED.has(err.code ?? '')) throw err;
  });
}
