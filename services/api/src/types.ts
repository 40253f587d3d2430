import type { Clock } from '@aaf-sync/calendar';
import type { Config } from '@aaf-sync/config';
import type { Database, Kysely } from '@aaf-sync/db';
import type { SecretBox } from '@aaf-sync/targets';
import type { Principal } from './auth/principal.js';
import type { ApiScope } from '@aaf-sync/api-keys';
import type { IdentifierService, ImportEnqueuer } from './services.js';

/** What a route requires: one of these scopes (admin always passes). */
export interface RouteAuth {
  readonly anyOf: readonly ApiScope[];
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly db: Kysely<Database>;
    readonly config: Config;
    readonly importQueue: ImportEnqueuer | null;
    readonly identifierService: IdentifierService | null;
    /** Where "now" comes from for the calendar routes (a fake clock in tests). */
    readonly clock: Clock;
    /** Targets' secrets and stored initial passwords (TARGET_SECRETS_KEY and previous keys). */
    readonly secretBox: SecretBox;
  }
  interface FastifyRequest {
    /** The authenticated key (set on routes with `config.auth`), else null. */
    principal: Principal | null;
    /** Extra details a write route adds to its audit row. */
    auditDetails: Record<string, unknown> | null;
    /**
     * The request already counted against its key's rate limit by authentication (one Redis
     * round trip for a verified key, plugins/app/auth.ts): the limiter answers from it.
     */
    rateCount: { readonly current: number; readonly ttlMs: number } | null;
  }
  interface FastifyContextConfig {
    /** Scopes the route requires; every /v1 route declares it. */
    auth?: RouteAuth;
    /** Audit action of a write route (`imports.submit`…): one audit_log row per request. */
    audit?: string;
  }
}

/** The authenticated principal of a route with `config.auth` (throws if misused). */
export function principalOf(request: { principal: Principal | null }): Principal {
  if (!request.principal) throw new Error('route has no config.auth');
  return request.principal;
}
