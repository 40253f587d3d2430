import { cp, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

/**
 * Moves a processed delivery into the archive folder, under a folder named after its import id
 * (`<archive>/<importId>-<name>/…`), so that an import is always traceable to its files.
 */
export async function archiveEntry(
  archiveDir: string,
  label: string,
  paths: readonly string[],
): Promise<string> {
  const target = join(archiveDir, label);
  await mkdir(target, { recursive: true });
  for (const p of paths) await movePath(p, join(target, basename(p)));
  return target;
}

/** Moves a file or folder (copy and delete across file systems). */
export async function movePath(from: string, to: string): Promise<void> {
  await rename(from, to).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EXDEV') throw err;
    await cp(from, to, { recursive: true });
    await rm(from, { recursive: true, force: true });
  });
}

/** Deletes archived deliveries older than `retentionDays`; returns what was removed. */
export async function purgeArchive(
  archiveDir: string,
  retentionDays: number,
  now = Date.now(),
): Promise<string[]> {
  const limit = now - retentionDays * 86_400_000;
  const removed: string[] = [];
  const entries = await readdir(archiveDir).catch(() => [] as string[]);
  for (const name of entries) {
    const path = join(archiveDir, name);
    const s = await stat(path);
    if (s.mtimeMs < limit) {
      await rm(path, { recursive: true, force: true });
      removed.push(name);
    }
  }
  return removed;
}
