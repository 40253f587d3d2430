import { defineErrors } from '@aaf-sync/errors';

export const CliErrors = defineErrors('CLI', {
  USAGE: {
    status: 400,
    message: '{problem}',
    description:
      'The command line is wrong: unknown command, missing argument or bad option. ' +
      'Run `pnpm aaf-sync help <command>`.',
  },
});
