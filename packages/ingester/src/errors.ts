import { defineErrors } from '@aaf-sync/errors';

export const IngesterErrors = defineErrors('INGESTER', {
  INBOX_UNREADABLE: {
    status: 500,
    message: 'the inbox {dir} cannot be read: {reason}',
    description:
      'The ingester cannot list its inbox folder (AAF_INBOX_DIR). Check that it exists and that ' +
      'the service user may read and write it; the ingester retries at every scan.',
    retryable: true,
  },
  GAVE_UP: {
    status: 500,
    message: 'delivery {name} failed {attempts} time(s): {reason}',
    description:
      'A delivery job failed without an error code of its own: every attempt failed (e.g. the ' +
      'database stayed down) or the worker died while importing it (the job stalled twice). ' +
      'The delivery is moved to AAF_QUARANTINE_DIR with a `<name>.error.json`; fix the cause and ' +
      'drop it in the inbox again.',
  },
});
