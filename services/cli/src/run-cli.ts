import { loadConfig } from '@aaf-sync/config';
import { isAppError } from '@aaf-sync/errors';
import { createLogger } from '@aaf-sync/logger';
import type { Command } from './command.js';
import { COMMANDS } from './commands/index.js';
import { CliErrors } from './errors.js';

function help(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: pnpm aaf-sync <command> [options]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'pnpm aaf-sync help <command> shows the options of a command.',
    '',
  ].join('\n');
}

export interface CliIo {
  readonly env?: Record<string, string | undefined>;
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
}

/** Runs one command line; resolves to the exit code. Errors are printed with their code. */
export async function runCli(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const [name, ...rest] = argv;
  try {
    if (!name || name === 'help' || name === '--help' || name === '-h') {
      const target = COMMANDS.find((c) => c.name === rest[0]);
      stdout.write(target ? `${target.usage}\n` : help(COMMANDS));
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command)
      throw CliErrors.USAGE({ problem: `unknown command "${name}"\n\n${help(COMMANDS)}` });
    // `<command> --help` (anywhere among its options) shows its usage, like `help <command>`.
    if (rest.includes('--help') || rest.includes('-h')) {
      stdout.write(`${command.usage}\n`);
      return 0;
    }
    const config = loadConfig(io.env ?? process.env);
    // Logs go to stderr so that stdout carries only results (e.g. --json reports).
    const log = createLogger({
      level: config.log.level,
      pretty: config.log.pretty,
      name: `cli:${command.name}`,
      fd: 2,
    });
    return await command.run({ config, log, argv: rest, stdout, stderr });
  } catch (err) {
    if (isAppError(err)) {
      stderr.write(`error ${err.code}: ${err.message}\n`);
      return err.status === 400 ? 2 : 1;
    }
    stderr.write(
      `unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return 1;
  }
}
