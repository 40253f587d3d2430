import { defineErrors } from '@aaf-sync/errors';

export const ScribeErrors = defineErrors('SCRIBE', {
  INVALID_OPTIONS: {
    status: 400,
    message: 'invalid options for Scribe target {name}: {problems}',
    description:
      'The target’s options (url, baseDn, bindDn, profile overrides…) or its bindPassword ' +
      'secret do not fit the Scribe driver. Fix the target; its rows stay pending.',
  },
});
