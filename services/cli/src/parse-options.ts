import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliErrors } from './errors.js';

/** `util.parseArgs`, with its errors (unknown option, missing value) turned into CLI_ERR_USAGE. */
export function parseOptions<T extends ParseArgsConfig>(config: T, usage: string) {
  try {
    return parseArgs(config);
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('ERR_PARSE_ARGS')) {
      throw CliErrors.USAGE({ problem: `${(err as Error).message}\n\n${usage}` });
    }
    throw err;
  }
}
