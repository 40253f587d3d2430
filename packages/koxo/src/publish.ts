import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KoxoErrors } from './errors.js';

/** What the site's agent reads next to each CSV (`<file>.manifest.json`). */
export interface KoxoManifest {
  readonly file: string;
  readonly target: string;
  readonly uai: string;
  readonly population: string;
  readonly primaryGroup: string;
  readonly snapshotVersion: number;
  readonly rows: number;
  readonly sha256: string;
  readonly generatedAt: string;
  /** The last directory event (change_event seq) the file reflects. */
  readonly eventSeq: number;
}

export const manifestName = (file: string) => file.replace(/\.csv$/, '.manifest.json');

/** Writes `data` to `dir/name` atomically: a temporary file in the same folder, fsync, rename. */
export async function writeAtomically(dir: string, name: string, data: Buffer): Promise<void> {
  const tmp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o640);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, join(dir, name));
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Publishes files to the target's folder: each CSV, then its manifest (an agent that finds a
 * manifest can trust the CSV next to it once the sha256 matches). Throws KOXO_ERR_PUBLISH_FAILED.
 */
export async function publishFiles(
  dir: string,
  uai: string,
  files: readonly { name: string; content: Buffer; manifest: KoxoManifest }[],
): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    for (const f of files) {
      await writeAtomically(dir, f.name, f.content);
      const manifest = Buffer.from(JSON.stringify(f.manifest, null, 2) + '\n', 'utf8');
      await writeAtomically(dir, manifestName(f.name), manifest);
    }
  } catch (err) {
    throw KoxoErrors.PUBLISH_FAILED({ uai, dir, reason: (err as Error).message });
  }
}
