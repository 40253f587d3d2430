import type { Config } from '@aaf-sync/config';
import type { Database, Kysely } from '@aaf-sync/db';
import { namespaceRules, previewIdentifier } from '@aaf-sync/identifiers';
import type { IdentifierService } from './services.js';

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
