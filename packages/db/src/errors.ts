import { defineErrors } from '@aaf-sync/errors';

export const DbErrors = defineErrors('DB', {
  MIGRATION_FAILED: {
    status: 500,
    message: 'migration {migration} failed: {reason}',
    description:
      'A schema migration failed and was rolled back (each migration runs in a transaction). ' +
      'The database stays at the previous version; fix the cause and run `pnpm migrate` again.',
  },
  UNREACHABLE: {
    status: 503,
    message: 'PostgreSQL is unreachable: {reason}',
    description: 'The database did not answer. Check DATABASE_URL and that the server runs.',
    retryable: true,
  },
});
