import type { Database, Kysely } from '@aaf-sync/db';
import type { ConnectionOptions } from '@aaf-sync/jobs';
import type { Logger } from '@aaf-sync/logger';
import type { SecretBox } from './secret-box.js';

/**
 * What every consumer of the event log run by the targets process is given: the targets runtime
 * and packages/webhooks' runtime (same pool, same wake-ups, same queue Redis and secret box).
 */
export interface LogConsumerOptions {
  readonly db: Kysely<Database>;
  /** PostgreSQL URL for the LISTEN connection (omit: polling only). */
  readonly listenUrl?: string;
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  readonly log: Logger;
  readonly box: SecretBox;
  /** JOBS_SHUTDOWN_TIMEOUT_SECONDS: how long `close` waits for running jobs before forcing. */
  readonly shutdownTimeoutMs?: number;
}
