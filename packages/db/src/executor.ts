import type { Kysely, Transaction } from 'kysely';
import type { Database } from './database.js';

/** What repository functions run on: the pool or a transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
