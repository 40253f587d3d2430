import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type pg from 'pg';

const MARK = '/* prepared */';

/**
 * Put in front of a hot statement (`sql\`${PREPARED} select …\``): the pool then runs it as a
 * named prepared statement, parsed and planned once per connection. PostgreSQL switches to a
 * generic plan after five executions when it costs no more than the custom ones, so a large
 * statement whose planning outweighs its execution (the account status) stops paying for it.
 */
export const PREPARED = sql.raw(`${MARK} `);

type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown;

/** Statement text → name, shared by every connection (each prepares it on first use). */
const names = new Map<string, string>();

/** Makes a pool client run the statements marked with PREPARED as named statements. */
export function namePreparedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  const wrapped: Query = (config, values, callback) => {
    if (typeof config !== 'string' || !config.startsWith(MARK))
      return query(config, values, callback);
    let name = names.get(config);
    if (!name) {
      name = `aaf_${createHash('sha256').update(config).digest('hex').slice(0, 24)}`;
      names.set(config, name);
    }
    return query({ name, text: config, values }, callback);
  };
  (client as unknown as { query: Query }).query = wrapped;
}
