import { systemClock, type Clock } from '@aaf-sync/calendar';
import type { Config } from '@aaf-sync/config';
import type { Database, Kysely } from '@aaf-sync/db';
import { createSecretBox } from '@aaf-sync/targets';
import fp from 'fastify-plugin';
import type { IdentifierService, ImportEnqueuer } from '../../services.js';

export interface DepsOptions {
  readonly config: Config;
  readonly db: Kysely<Database>;
  readonly imports?: ImportEnqueuer | undefined;
  readonly identifiers?: IdentifierService | undefined;
  readonly clock?: Clock | undefined;
}

/**
 * Our shared capabilities as typed decorators: the database, the config, the targets' secret box,
 * injected services.
 */
export default fp<DepsOptions>(
  async (app, opts) => {
    app.decorate('db', opts.db);
    app.decorate('config', opts.config);
    app.decorate('importQueue', opts.imports ?? null);
    app.decorate('identifierService', opts.identifiers ?? null);
    app.decorate('clock', opts.clock ?? systemClock);
    app.decorate(
      'secretBox',
      createSecretBox(opts.config.targets.secretsKey, opts.config.targets.previousSecretsKeys),
    );
    app.decorateRequest('principal', null);
    app.decorateRequest('auditDetails', null);
  },
  { name: 'deps' },
);
