import { defineErrors } from '@aaf-sync/errors';

export const IngestErrors = defineErrors('INGEST', {
  NOTHING_TO_IMPORT: {
    status: 400,
    message: 'no AAF file found in {paths}',
    description:
      'The paths given to an import hold no AAF XML file (ENT_…_Complet|Delta_YYYYMMDD_Entity_NNNN.xml), ' +
      'directly or inside a .tgz/.zip delivery. Check the path and the file names.',
  },
  STALE_DELTA: {
    status: 409,
    message:
      'delta {delivery} dated {date} is older than the last applied complete ({completeDate})',
    description:
      'A delta dated before the last applied complete of the same scope and level would bring back ' +
      'old data: it is refused and nothing of it is applied.',
  },
  STALE_COMPLETE: {
    status: 409,
    message:
      'complete {delivery} dated {date} is older than the last applied complete ({completeDate})',
    description:
      'A complete older than the one already applied would undo newer data: it is refused. Import ' +
      'the newest complete instead.',
  },
  COMPLETE_NOT_ALLOWED: {
    status: 403,
    message:
      'delivery {delivery} is a complete: completes are academy-wide and only an unscoped submitter may import one',
    description:
      'A complete speaks for every establishment and category it covers (what it leaves out ' +
      'departs), so a submitter restricted to some establishments (an establishment-scoped API ' +
      'key) may only upload deltas. Nothing of the delivery was read or recorded; send a delta, or ' +
      'have an academy-wide key or an operator import the complete.',
  },
  BAD_FILE: {
    status: 422,
    message: 'file {file} cannot be read: {reason}',
    description:
      'A file of the delivery is not a readable AAF file (not XML, truncated, wrong root, bad ' +
      'encoding, entity declarations). Nothing of the delivery is applied; fix or replace the file ' +
      'and import again.',
  },
  IMPORT_BUSY: {
    status: 409,
    message: 'another import is running on this database; try again later',
    description:
      'Imports are applied one at a time per database. The lock was not obtained within the wait ' +
      'time; the import will be retried by the queue, or run it again.',
    retryable: true,
  },
  SCOPE_CHANGED: {
    status: 409,
    message:
      'delivery {delivery} of académie scope {scope}, unknown to the directory, declares only ' +
      'schools that scope {holders} holds (same UAIs): it would copy them; refused',
    description:
      'Identity is (scope, AAF id): files whose scope token changed (an académie renamed, files ' +
      'without a token mixed with named ones) would bring a second copy of every school they ' +
      'declare, with new persons under `id@scope` keys. A delivery of a scope the directory does ' +
      'not hold yet, all of whose structures have UAIs held by structures of another scope, is ' +
      'refused after its EtabEducNat records are read (each listed with a UAI_CONFLICT warning); ' +
      'nothing of it is applied. Name the files with the scope the directory knows and import ' +
      'again.',
  },
  PLAN_NOT_FOUND: {
    status: 404,
    message: 'import {importId} has no held plan for establishment {uai}',
    description:
      'Only a plan in status "held" can be approved or discarded. List held plans with the API ' +
      '(GET /v1/imports/{id}) or the CLI report.',
  },
  RUN_NOT_QUEUED: {
    status: 409,
    message: 'import {importId} is not queued (status {status}); it is not run again',
    description:
      'The ingester runs a queued import once. The job found its import already started or ' +
      'finished (a job delivered twice, or a run marked failed after its worker stopped); ' +
      'submit the delivery again to import it.',
  },
  DECISION_PENDING: {
    status: 409,
    message: 'a decision on the plan of {uai} (import {importId}) is already queued',
    description:
      'An approve or discard request for this held plan waits for the ingester. Poll the import ' +
      '(GET /v1/imports/{id}) until the plan is approved or discarded.',
  },
  DATA_MOVED: {
    status: 409,
    message: 'the held plan of {uai} (import {importId}) is out of date: {reason}',
    description:
      'Approving applies exactly the reviewed plan; the directory changed since it was computed ' +
      '(a newer import was applied), so it is refused. Discard it and import the newest complete.',
  },
  DUPLICATE_DELIVERY: {
    status: 409,
    message: 'every file of delivery {delivery} was already applied',
    description:
      'Recorded on an import run (status `duplicate`) when each file of the delivery, by content ' +
      'hash and date, was already applied for the same reach. Nothing was read again; nothing ' +
      'to do (a duplicate delivery from the académie is normal after a retry).',
  },
  FILES_FAILED: {
    status: 422,
    message: '{count} file(s) could not be read',
    description:
      'Recorded on an import run whose delivery had unreadable files (listed in `files`, each ' +
      'with its own error). The other files were planned and applied; when every file failed the ' +
      'run is `failed`. Fix or re-export the files named and send them again.',
  },
  IMPORT_FAILED: {
    status: 500,
    message: 'the import failed: {reason}',
    description:
      'Recorded on an import run that stopped on an unexpected error (the cause is in the ' +
      'message and the logs). Its transaction rolled back: nothing of it was applied. Retry it; ' +
      'report the message if it fails again.',
  },
  INTERRUPTED: {
    status: 500,
    message: 'the import process stopped before the end; nothing of it was applied',
    description:
      'Recorded on a run left planning or applying by a process that died (found at the next ' +
      'import or ingester start). The apply transaction rolled back with the process, so nothing ' +
      'of the run was applied; import the delivery again.',
  },
});
