import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { AafErrors } from '../errors.js';
import { baseName } from '../file-name.js';
import type { AafLimits } from '../limits.js';
import type { Level } from '../model.js';
import { limitBytes } from './byte-limit.js';
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

export type ArchiveKind = 'tgz' | 'tar' | 'zip';

/**
 * The archive format by extension (`.tgz`/`.tar.gz`, `.tar`, `.zip`), or null. The one list of
 * archive formats: the delivery listing and the ingester's inbox scan both ask it.
 */
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

/** The file's bytes, cut with FILE_TOO_LARGE past `limits.maxFileBytes` (sizes may lie). */
async function bounded(
  name: string,
  limits: AafLimits,
  open: () => Promise<Readable>,
): Promise<Readable> {
  const limit = limits.maxFileBytes;
  return limitBytes(await open(), limit, () => AafErrors.FILE_TOO_LARGE({ fileName: name, limit }));
}

function looseFile(
  path: string,
  size: number,
  container: string,
  level: Level | null,
  limits: AafLimits,
): Candidate {
  const name = baseName(path);
  if (size > limits.maxFileBytes && /\.xml$/i.test(name)) {
    throw AafErrors.FILE_TOO_LARGE({ fileName: name, limit: limits.maxFileBytes });
  }
  return {
    name,
    size,
    source: path,
    container,
    archive: null,
    level,
    open: () => bounded(name, limits, () => Promise.resolve(createReadStream(path))),
  };
}

async function archiveFiles(
  path: string,
  kind: ArchiveKind,
  limits: AafLimits,
): Promise<Candidate[]> {
  const entries =
    kind === 'zip' ? await listZip(path, limits) : await listTar(path, kind === 'tgz', limits);
  const level = levelOfName(baseName(path));
  const lastIndex = entries.reduce((max, e) => Math.max(max, e.index), -1);
  const tarReader =
    kind === 'zip' ? null : new TarReader(path, kind === 'tgz', lastIndex, limits.maxArchiveBytes);
  return entries.map((entry) => ({
    name: baseName(entry.name),
    size: entry.size,
    source: `${path}!${entry.name}`,
    container: path,
    archive: baseName(path),
    level,
    open: () =>
      bounded(baseName(entry.name), limits, () =>
        tarReader === null ? openZipEntry(path, entry) : tarReader.open(entry),
      ),
  }));
}

async function directoryFiles(
  path: string,
  depth: number,
  level: Level | null,
  limits: AafLimits,
): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const entries = await readdir(path, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) {
      if (depth > 0)
        out.push(
          ...(await directoryFiles(full, depth - 1, levelOfName(entry.name) ?? level, limits)),
        );
    } else if (entry.isFile()) {
      const kind = archiveKind(entry.name);
      if (kind !== null) out.push(...(await archiveFiles(full, kind, limits)));
      else out.push(looseFile(full, (await stat(full)).size, path, level, limits));
    }
  }
  return out;
}

/**
 * Every file an input path stands for (a directory is read one level deep). Archives are checked
 * against the limits while listed; every file's bytes are counted again when opened.
 */
export async function candidatesOf(path: string, limits: AafLimits): Promise<Candidate[]> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw AafErrors.BAD_PATH({ path, reason: (err as Error).message }, { cause: err });
  }
  if (info.isDirectory()) return directoryFiles(path, 1, levelOfName(baseName(path)), limits);
  if (!info.isFile()) throw AafErrors.BAD_PATH({ path, reason: 'not a file nor a directory' });
  const kind = archiveKind(path);
  if (kind !== null) return archiveFiles(path, kind, limits);
  if (!/\.xml$/i.test(path)) {
    throw AafErrors.BAD_PATH({ path, reason: 'not an .xml file, a directory nor an archive' });
  }
  return [looseFile(path, info.size, path, levelOfName(baseName(dirname(path))), limits)];
}
