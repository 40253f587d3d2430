// The CLI run in process against a database: what the command tests of this folder share.
import { PassThrough } from 'node:stream';
import { runCli } from '../src/index.js';

/** Runs `aaf-sync <argv>` on the database at `url`; resolves to its exit code and output. */
export async function cli(argv: string[], url: string) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c: Buffer) => (stdout += c.toString()));
  err.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await runCli(argv, {
    env: { DATABASE_URL: url, LOG_LEVEL: 'silent' },
    stdout: out,
    stderr: err,
  });
  return { code, stdout, stderr };
}
