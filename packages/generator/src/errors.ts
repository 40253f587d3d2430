import { defineErrors } from '@aaf-sync/errors';

export const GeneratorErrors = defineErrors('GEN', {
  INVALID_OPTIONS: {
    status: 400,
    message: 'invalid generator options: {problems}',
    description:
      'The options given to the synthetic académie generator (or to `pnpm aaf-sync generate`) are ' +
      'missing or out of range. The message names every bad option; see the generator README.',
  },
  OUTPUT_FAILED: {
    status: 500,
    message: 'cannot write the generated delivery to {path}: {reason}',
    description:
      'The generator could not create or write a file in the output folder (permissions, full ' +
      'disk, a file where a folder is expected). Fix the folder and run the generator again.',
  },
});
