import type { Database, Transaction } from '@aaf-sync/db';
import type { IdentifierSession, IngestDeps } from '../deps.js';
import type { StructureDirectory } from '../plan/structure-directory.js';
import type { ClassCache } from './class-cache.js';
import type { EventBuffer } from './event-buffer.js';

/** What applying a plan shares across batches, inside the one apply transaction. */
export interface ApplyContext {
  readonly trx: Transaction<Database>;
  readonly deps: IngestDeps;
  readonly importId: number;
  /** The import's académie scope: every person and structure it writes is of this scope. */
  readonly scope: string;
  readonly structures: StructureDirectory;
  readonly events: EventBuffer;
  /** Identifier allocation for the whole apply (absent: none allocated). */
  readonly identifiers: IdentifierSession | undefined;
  readonly classes: ClassCache;
  /** Relatives whose establishments must be recomputed from their pupils at the end. */
  readonly touchedRelatives: Set<string>;
  /** Classes/groups that lost members: emptied ones are marked at the end. */
  readonly touchedClasses: Set<number>;
  /**
   * A first import (the fast path): the directory held no person when the plan was made and
   * holds no person and no person link as the apply begins, so every person item is a create
   * and no row can conflict; versions are not checked, persons, links and events are written
   * with `COPY`.
   */
  readonly firstImport: boolean;
  /** Running totals of the apply. */
  readonly tally: { identifiers: number };
}
