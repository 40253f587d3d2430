import { defineErrors } from '@aaf-sync/errors';

export const JobsErrors = defineErrors('JOBS', {
  INVALID_PAYLOAD: {
    status: 500,
    message: 'job payload of queue {queue} is invalid: {summary}',
    description:
      'A job was enqueued, or read back by a worker, with data that does not match the queue ' +
      'schema. It is a programming error (or a job written by an older version): the job is ' +
      'not retried.',
  },
});
