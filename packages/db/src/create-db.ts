import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { trackCopyClients } from './copy-rows.js';
import { namePreparedStatements } from './prepared-statements.js';

// bigint (int8) columns hold identities and counts far below 2^53: read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// date columns stay 'YYYY-MM-DD' strings: no time zone can shift an AAF date.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export interface DbHandle {
  readonly db: Kysely<Database>;
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  readonly url: string;
  readonly poolMax?: number;
  readonly applicationName?: string;
  /**
   * How long an idle connection stays open (pg's default: 10 s; 0: for as long as the pool).
   * A server keeps its connections: a connection opened again for a burst of requests costs
   * those requests the connection and the planning of each prepared statement once more.
   */
  readonly idleTimeoutMillis?: number;
  /** Called after every statement with its SQL and duration (benchmarks: time per statement family). */
  readonly onQuery?: (sql: string, milliseconds: number) => void;
}

/**
 * Opens a pool and a kysely instance on it. `close()` ends both.
 *
 * @example
 * const { db, close } = createDb({ url: config.database.url, applicationName: 'api' });
 */
export function createDb(options: CreateDbOptions): DbHandle {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    application_name: options.applicationName ?? 'aaf-sync',
    ...(options.idleTimeoutMillis === undefined
      ? {}
      : { idleTimeoutMillis: options.idleTimeoutMillis }),
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  pool.on('connect', namePreparedStatements);
  const { onQuery } = options;
  // copyRows finds a transaction's client through this registry (kysely does not expose it).
  trackCopyClients(pool, onQuery);
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    ...(onQuery ? { log: (event) => onQuery(event.query.sql, event.queryDurationMillis) } : {}),
  });
  return {
    db,
    pool,
    close: () => db.destroy(),
  };
}
