import type { Database, ImportPhase, Kysely } from '@aaf-sync/db';
import type { Logger } from '@aaf-sync/logger';

export interface ProgressWriter {
  /** The import enters a phase: written at once (counters restart with `reading`). */
  phase(importId: number, phase: ImportPhase): void;
  records(count: number): void;
  bytes(count: number): void;
  /** Waits for the writes in flight. */
  flush(): Promise<void>;
}

/**
 * Writes `import_run.progress` while the engine runs: phase changes at once, counters at most
 * once per `intervalMs`. Writes are chained (never two at a time) and a failed write is only
 * logged: progress must never fail an import.
 */
export function progressWriter(
  db: Kysely<Database>,
  log: Logger,
  options: { intervalMs?: number; now?: () => number } = {},
): ProgressWriter {
  const intervalMs = options.intervalMs ?? 1000;
  const now = options.now ?? Date.now;
  let importId: number | null = null;
  let phase: ImportPhase = 'queued';
  let recordsRead = 0;
  let bytesRead = 0;
  let last = 0;
  let chain: Promise<void> = Promise.resolve();
  const write = () => {
    if (importId === null) return;
    last = now();
    const id = importId;
    const progress = { phase, recordsRead, bytesRead, updatedAt: new Date(last).toISOString() };
    chain = chain
      .then(async () => {
        await db
          .updateTable('import_run')
          .set({ progress: JSON.stringify(progress) })
          .where('id', '=', id)
          .execute();
      })
      .catch((err: unknown) => log.warn({ err, importId: id }, 'import progress not written'));
  };
  const tick = () => {
    if (now() - last >= intervalMs) write();
  };
  return {
    phase(id, p) {
      if (p === 'reading' || id !== importId) {
        recordsRead = 0;
        bytesRead = 0;
      }
      importId = id;
      phase = p;
      write();
    },
    records(n) {
      recordsRead += n;
      tick();
    },
    bytes(n) {
      bytesRead += n;
      tick();
    },
    flush: () => chain,
  };
}
