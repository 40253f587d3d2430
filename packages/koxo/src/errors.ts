import { defineErrors } from '@aaf-sync/errors';

export const KoxoErrors = defineErrors('KOXO', {
  INVALID_OPTIONS: {
    status: 400,
    message: 'invalid options for KoXo target {target}: {problems}',
    description: 'The options of a `koxo` target do not fit its schema (packages/targets kinds).',
  },
  LOGIN_TOO_LONG: {
    status: 422,
    message: 'KoXo login {login} has {length} characters; the limit is 20',
    description:
      'Active Directory `sAMAccountName` holds at most 20 characters (number included). The ' +
      'account is left out of the file until its `koxo` identifier is replaced.',
  },
  NO_LOGIN: {
    status: 422,
    message: 'the account has no primary koxo identifier',
    description: 'The account is left out of the KoXo files until a `koxo` identifier is given.',
  },
  SNAPSHOT_HELD: {
    status: 409,
    message: 'the KoXo files of {uai} (version {version}) are held for approval: {reason}',
    description:
      'The new snapshot lost more rows than the target’s shrink threshold against the last ' +
      'published one (KoXo treats a missing row as a departure). It is not published until an ' +
      'operator approves it (`aaf-sync koxo approve` or the API).',
  },
  SNAPSHOT_NOT_FOUND: {
    status: 404,
    message: 'no KoXo snapshot {version} of {uai} on target {target}',
    description: 'The target has no such snapshot for this establishment.',
  },
  SNAPSHOT_NOT_HELD: {
    status: 409,
    message: 'KoXo snapshot {version} of {uai} is {status}, not held',
    description:
      'Only a held snapshot (the latest one of its establishment) can be approved or discarded.',
  },
  FILE_NOT_FOUND: {
    status: 404,
    message: 'target {target} publishes no file named {file}',
    description:
      'No published KoXo file has this name for this target (or it belongs to an ' +
      'establishment outside the caller’s key).',
  },
  PUBLISH_FAILED: {
    status: 503,
    message: 'cannot write the KoXo files of {uai} to {dir}: {reason}',
    description:
      'The export folder of the target is missing or not writable. The snapshot stays in the ' +
      'database and is written again at the next regeneration.',
  },
  READBACK_NOT_CONFIGURED: {
    status: 409,
    message: 'KoXo target {target} has no read-back configured ({missing})',
    description:
      'The target needs a `readBack` options block (url, baseDn, bindDn) and the secret ' +
      '`bindPassword` before its Active Directory can be read back.',
  },
  READBACK_BUSY: {
    status: 409,
    retryable: true,
    message: 'a read-back of KoXo target {target} is already running',
    description: 'One read-back per target at a time (another process or command runs it now).',
  },
});
