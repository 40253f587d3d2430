import { defineErrors } from '@aaf-sync/errors';

/** The scheduler's error catalogue (notices, transition effects). */
export const SchedulerErrors = defineErrors('SCHEDULER', {
  NOTICE_NOT_FOUND: {
    status: 404,
    message: 'notice {id} not found',
    description:
      'No notice has this id, or it concerns establishments outside the API key scope. List the ' +
      'notices you may read with GET /v1/notices.',
  },
  INVALID_NOTICE: {
    status: 400,
    message: 'invalid notice: {problem}',
    description:
      'A transition effect produced a notice that does not fit the notice format (kind, title, ' +
      'dedupe key). It is a bug of the effect: the transition is retried and reported.',
  },
});
