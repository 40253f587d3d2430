import { cp, mkdir, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';

/**
 * Copies the files of an upload whose runs were `suspended` (the directory feed was off) from
 * its spool into the archive, in a folder `<importIds joined by +>-<spool name>` — the layout of
 * the ingester's archive, where the directory's resumption (packages/scheduler
 * `resubmitSuspended`) finds the runs to queue again. Returns the folder.
 */
export async function keepSuspendedUpload(
  archiveDir: string,
  spoolDir: string,
  importIds: readonly number[],
): Promise<string> {
  const target = join(archiveDir, `${importIds.join('+')}-${basename(spoolDir)}`);
  await mkdir(target, { recursive: true });
  for (const name of await readdir(spoolDir)) {
    await cp(join(spoolDir, name), join(target, name), { recursive: true });
  }
  return target;
}
