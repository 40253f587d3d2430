import type { Database, Kysely } from '@aaf-sync/db';
import { recordDuplicateRelatives } from '../report/duplicate-relatives.js';
import { buildImportReport, type ImportReport } from '../report/import-report.js';
import { setRunStatus } from './import-run.repository.js';

/**
 * The end of every run, whatever became of it (applied, held, decided, duplicate, refused): the
 * likely-duplicate relatives of its applied establishments are counted, the report is built from
 * what was recorded, and stored on the run (`summary`) with the status it states.
 */
export async function finishRun(db: Kysely<Database>, importId: number): Promise<ImportReport> {
  await recordDuplicateRelatives(db, importId);
  const report = await buildImportReport(db, importId);
  await setRunStatus(db, importId, report.status, {
    summary: report as unknown as Record<string, unknown>,
  });
  return report;
}
