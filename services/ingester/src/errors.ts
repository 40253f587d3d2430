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
});
