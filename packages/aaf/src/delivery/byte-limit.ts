import { Transform, type Readable } from 'node:stream';

/**
 * Counts the bytes flowing out of `input` and fails the stream with `tooLarge()` as soon as
 * they pass `limit` (declared sizes may lie: a zip's, a growing file's). Destroying the result
 * destroys the input.
 */
export function limitBytes(input: Readable, limit: number, tooLarge: () => Error): Readable {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limit) callback(tooLarge());
      else callback(null, chunk);
    },
  });
  input.on('error', (err) => counter.destroy(err));
  counter.on('close', () => input.destroy());
  return input.pipe(counter);
}
