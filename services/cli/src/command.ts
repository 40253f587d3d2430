import type { Config } from '@aaf-sync/config';
import type { Logger } from '@aaf-sync/logger';

/** What every command receives: parsed config, a logger on stderr, and its own argv. */
export interface CommandContext {
  readonly config: Config;
  readonly log: Logger;
  readonly argv: readonly string[];
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export interface Command {
  readonly name: string;
  /** One line for `aaf-sync help`. */
  readonly summary: string;
  /** Full usage text for `aaf-sync help <command>`. */
  readonly usage: string;
  /** Resolves to the process exit code. */
  run(ctx: CommandContext): Promise<number>;
}
