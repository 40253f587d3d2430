import type { Migration } from 'kysely/migration';
import * as m0001 from './0001-core.js';
import * as m0002 from './0002-api.js';
import * as m0003 from './0003-identifiers.js';
import * as m0004 from './0004-import-submitter.js';
import * as m0005 from './0005-import-queue.js';
import * as m0006 from './0006-targets.js';
import * as m0007 from './0007-relative-accounts.js';
import * as m0008 from './0008-target-observability.js';
import * as m0009 from './0009-unknown-structures.js';
import * as m0010 from './0010-credentials.js';
import * as m0011 from './0011-posix-ids.js';
import * as m0012 from './0012-webhooks.js';
import * as m0013 from './0013-calendar.js';
import * as m0014 from './0014-koxo-files.js';
import * as m0015 from './0015-ine-identity.js';
import * as m0018 from './0018-koxo-readback.js';
import * as m0020 from './0020-calendar-transitions.js';
import * as m0021 from './0021-notices.js';
import * as m0022 from './0022-access-blocking.js';
import * as m0023 from './0023-campaigns.js';
import * as m0024 from './0024-managed-groups.js';
import * as m0025 from './0025-year-transition.js';
import * as m0026 from './0026-person-raw-hash.js';
import * as m0027 from './0027-group-purge.js';
import * as m0031 from './0031-person-last-import-index.js';
import * as m0032 from './0032-academy-scope.js';
import * as m0033 from './0033-scoped-identity.js';
import * as m0034 from './0034-relative-account-codes.js';

/**
 * Every migration, in order. A static list (not a folder scan) so that the built package carries
 * its migrations and bundlers cannot drop one. Names never change once released.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-core': m0001,
  '0002-api': m0002,
  '0003-identifiers': m0003,
  '0004-import-submitter': m0004,
  '0005-import-queue': m0005,
  '0006-targets': m0006,
  '0007-relative-accounts': m0007,
  '0008-target-observability': m0008,
  '0009-unknown-structures': m0009,
  '0010-credentials': m0010,
  '0011-posix-ids': m0011,
  '0012-webhooks': m0012,
  '0013-calendar': m0013,
  '0014-koxo-files': m0014,
  '0015-ine-identity': m0015,
  '0018-koxo-readback': m0018,
  '0020-calendar-transitions': m0020,
  '0021-notices': m0021,
  '0022-access-blocking': m0022,
  '0023-campaigns': m0023,
  '0024-managed-groups': m0024,
  '0025-year-transition': m0025,
  '0026-person-raw-hash': m0026,
  '0027-group-purge': m0027,
  '0031-person-last-import-index': m0031,
  '0032-academy-scope': m0032,
  '0033-scoped-identity': m0033,
  '0034-relative-account-codes': m0034,
};
