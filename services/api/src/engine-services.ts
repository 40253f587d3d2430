import type { Config } from '@aaf-sync/config';
import type { Database, Kysely } from '@aaf-sync/db';
import { namespaceRules, previewIdentifier } from '@aaf-sync/identifiers';
import { createIngestDeps, decideHeldPlan, ingestPaths } from '@aaf-sync/ingest';
import type { Logger } from '@aaf-sync/logger';
import type { IdentifierService, ImportService } from './services.js';

/** The real import engine behind the import routes. */
export function engineImportService(
  config: Config,
  db: Kysely<Database>,
  log: Logger,
): ImportService {
  const deps = createIngestDeps(config, db, log);
  return {
    async submit({ paths, dryRun, actor, scope }) {
      const { imports } = await ingestPaths(deps, paths, {
        dryRun,
        source: 'api',
        actor,
        scope,
        lockWaitMs: 30_000,
      });
      return { imports };
    },
    decide: ({ importId, uai, decision, actor }) =>
      decideHeldPlan(deps, { importId, uai, decision, actor }),
  };
}

/** The identifier allocator behind GET /v1/identifiers/preview. */
export function engineIdentifierService(config: Config, db: Kysely<Database>): IdentifierService {
  const rules = new Map(namespaceRules(config.identifiers).map((r) => [r.name, r]));
  return {
    async preview({ namespace, givenName, sn }) {
      // The route checks the namespace against the configuration.
      const p = await previewIdentifier(db, rules.get(namespace)!, givenName, sn);
      return { namespace, ...p };
    },
  };
}
