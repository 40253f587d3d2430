import { sql, type RawBuilder } from '@aaf-sync/db';

/**
 * `column = any($1::text[])`: one array parameter instead of one parameter per value, so a
 * batch of 10,000 keys stays one small statement with a stable plan.
 */
export function anyOf(column: string, values: readonly string[]): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} = any(${[...values]}::text[])`;
}
