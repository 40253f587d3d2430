import type { ImportJob } from '@aaf-sync/ingest';

/**
 * Services the API calls but does not implement: the import queue and the identifier allocator.
 * They are injected into `buildApp`. Imports never run in the API process: without an enqueuer
 * they wait in PostgreSQL for the ingester's sweep; a route that needs a missing identifier
 * service answers 503 (API_ERR_SERVICE_UNAVAILABLE).
 */

/**
 * Hands import work to the ingester (BullMQ queue `aaf-imports`). The work itself is stored in
 * PostgreSQL first (queued runs, queued decisions), so a failed enqueue loses nothing: the
 * ingester's sweep finds it.
 */
export interface ImportEnqueuer {
  enqueue(job: ImportJob): Promise<void>;
}

export interface IdentifierPreviewInput {
  readonly namespace: string;
  readonly givenName: string;
  readonly sn: string;
}

export interface IdentifierPreview {
  readonly namespace: string;
  /** The login a new person with these names would get now. */
  readonly value: string;
  /** The form before homonym numbering (`p.nom`, `pnom`). */
  readonly base: string;
  /** How many values were already handed out for this base. */
  readonly homonyms: number;
}

/** The identifier allocator (packages/identifiers), as the API sees it. */
export interface IdentifierService {
  preview(input: IdentifierPreviewInput): Promise<IdentifierPreview>;
}
