import { sql, type Database, type Transaction } from '@aaf-sync/db';

/** The tables an import grows, whose statistics the apply's own queries depend on. */
const GROWING_TABLES = [
  'person',
  'person_structure',
  'relative_link',
  'membership',
  'class_group',
  'teaching_link',
  'identifier',
  'identifier_counter',
];

/**
 * Keeps the planner's statistics in step with the apply transaction. A first import into an
 * empty directory writes hundreds of thousands of rows before autovacuum can see any of them;
 * without statistics PostgreSQL plans the per-batch lookups as scans of the whole table (each
 * batch then costs more than the last). ANALYZE inside the transaction counts its own rows, so
 * it runs when the applied item count first passes `first`, then each time it grows `factor`-fold
 * (a handful of runs, whatever the size).
 */
export class TableStatistics {
  private next: number;

  constructor(
    private readonly trx: Transaction<Database>,
    first = 2000,
    private readonly factor = 8,
  ) {
    this.next = first;
  }

  async afterBatch(applied: number): Promise<boolean> {
    if (applied < this.next) return false;
    while (this.next <= applied) this.next *= this.factor;
    await sql`analyze ${sql.join(GROWING_TABLES.map((t) => sql.table(t)))}`.execute(this.trx);
    return true;
  }
}
