import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { AafErrors } from '../errors.js';
import { baseName } from '../file-name.js';
import type { Level } from '../model.js';
import { listTar, TarReader } from './tar-archive.js';
import { listZip, openZipEntry } from './zip-archive.js';

/** A file found in an input path: loose, in a directory, or inside an archive. */
export interface Candidate {
  /** Base name. */
  readonly name: string;
  readonly size: number;
  /** The file path, or `<archive>!<entry>`. */
  readonly source: string;
  /** The directory or archive it was found in (deliveries keep their ignored files per container). */
  readonly container: string;
  /** Set when the container is an archive (its base name names the delivery). */
  readonly archive: string | null;
  readonly level: Level | null;
  open(): Promise<Readable>;
}

type ArchiveKind = 'tgz' | 'tar' | 'zip';

/** The archive format by extension, or null. */
export function archiveKind(name: string): ArchiveKind | null {
  if (/\.(tgz|tar\.gz)$/i.test(name)) return 'tgz';
  if (/\.tar$/i.test(name)) return 'tar';
  if (/\.zip$/i.test(name)) return 'zip';
  return null;
}

/**
 * The level an archive or folder name announces: `ENT1D…`/`ENT2D…` (also `ENT1DVA…`), or a
 * `1d`/`2d` token (`exports/2d`, `aaf-1d`). Null when it says nothing.
 */
export function levelOfName(name: string): Level | null {
  const m = /^ENT([12])D/i.exec(name) ?? /(?:^|[^a-z0-9])([12])d(?:[^a-z0-9]|$)/i.exec(name);
  return m ? (`${m[1]}d` as Level) : null;
}

function looseFile(path: string, size: number, container: string, level: Level | null): Candidate {
  return {
    name: baseName(path),
    size,
    source: path,
    container,
    archive: null,
    level,
    open: () => Promise.resolve(createReadStream(path)),
  };
}

async function archiveFiles(path: string, kind: ArchiveKind): Promise<Candidate[]> {
  const entries = kind === 'zip' ? await listZip(path) : await listTar(path, kind === 'tgz');
  const level = levelOfName(baseName(path));
  const lastIndex = entries.reduce((max, e) => Math.max(max, e.index), -1);
  const tarReader = kind === 'zip' ? null : new TarReader(path, kind === 'tgz', lastIndex);
  return entries.map((entry) => ({
    name: baseName(entry.name),
    size: entry.size,
    source: `${path}!${entry.name}`,
    container: path,
    archive: baseName(path),
    level,
    open: () => (tarReader === null ? openZipEntry(path, entry) : tarReader.open(entry)),
  }));
}

async function directoryFiles(
  path: string,
  depth: number,
  level: Level | null,
): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const entries = await readdir(path, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) {
      if (depth > 0)
        out.push(...(await directoryFiles(full, depth - 1, levelOfName(entry.name) ?? level)));
    } else if (entry.isFile()) {
      const kind = archiveKind(entry.name);
      if (kind !== null) out.push(...(await archiveFiles(full, kind)));
      else out.push(looseFile(full, (await stat(full)).size, path, level));
    }
  }
  return out;
}

/** Every file an input path stands for (a directory is read one level deep). */
export async function candidatesOf(path: string): Promise<Candidate[]> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw AafErrors.BAD_PATH({ path, reason: (err as Error).message }, { cause: err });
  }
  if (info.isDirectory()) return directoryFiles(path, 1, levelOfName(baseName(path)));
  if (!info.isFile()) throw AafErrors.BAD_PATH({ path, reason: 'not a file nor a directory' });
  const kind = archiveKind(path);
  if (kind !== null) return archiveFiles(path, kind);
  if (!/\.xml$/i.test(path)) {
    throw AafErrors.BAD_PATH({ path, reason: 'not an .xml file, a directory nor an archive' });
  }
  return [looseFile(path, info.size, path, levelOfName(baseName(dirname(path))))];
}
