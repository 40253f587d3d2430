import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { TeardownHost } from './teardown.js';

const ROOT = resolve(import.meta.dirname, '../../..');

export interface RunningEntryPoint {
  readonly child: ChildProcessByStdio<null, Readable, null>;
  /** Everything the process wrote to stdout so far (its JSON log lines). */
  output(): string;
  /** Sends SIGTERM; resolves with the exit code and signal. */
  stop(): Promise<[number | null, NodeJS.Signals | null]>;
}

/**
 * Starts a service's entry point (`src/main.ts`, run through tsx from the repository root) with
 * only PATH and `env` in its environment, JSON logs on stdout, and resolves once it has logged
 * `ready`. A process that exits first rejects with what it logged; one still running at the
 * end of the test is killed.
 */
export async function startEntryPoint(
  t: TeardownHost,
  main: string,
  env: Readonly<Record<string, string>>,
  ready: string,
): Promise<RunningEntryPoint> {
  const child = spawn(process.execPath, ['--import=tsx', main], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', LOG_PRETTY: 'false', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  await new Promise<void>((ok, fail) => {
    const check = () => {
      if (out.includes(ready)) {
        child.stdout.off('data', check);
        child.off('exit', early);
        ok();
      }
    };
    const early = (code: number | null) =>
      fail(new Error(`${main} exited with ${code} before "${ready}": ${out}`));
    child.stdout.on('data', check);
    child.once('exit', early);
  });
  return {
    child,
    output: () => out,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
