import { defineErrors } from '@aaf-sync/errors';

export const ConfigErrors = defineErrors('CONFIG', {
  INVALID: {
    status: 500,
    message: 'invalid configuration: {problems}',
    description:
      'One or more environment variables are missing or malformed. The message names every bad ' +
      'variable at once; fix them and restart. See the configuration table in the README.',
  },
});
