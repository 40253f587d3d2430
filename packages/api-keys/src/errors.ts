import { defineErrors } from '@aaf-sync/errors';

export const KeysErrors = defineErrors('KEYS', {
  SPEC: {
    status: 400,
    message: 'invalid API key specification: {problem}',
    description:
      'A key needs a name (1-100 characters), at least one known scope (changes:read, ' +
      'directory:read, accounts:read, imports:read, imports:write, admin) and optionally UAIs ' +
      '(7 digits and a letter).',
  },
});
