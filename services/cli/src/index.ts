export { runCli, type CliIo } from './run-cli.js';
export type { Command, CommandContext } from './command.js';
export { CliErrors } from './errors.js';
