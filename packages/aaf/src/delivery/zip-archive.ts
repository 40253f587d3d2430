import { PassThrough, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import { AafErrors } from '../errors.js';
import { baseName } from '../file-name.js';
import type { AafLimits } from '../limits.js';
import { checkArchiveEntry, type ArchiveTally } from './archive-limits.js';
import type { ArchiveEntry } from './tar-archive.js';

function badArchive(path: string, err: unknown): Error {
  const reason = err instanceof Error ? err.message : String(err);
  return AafErrors.BAD_ARCHIVE({ archive: baseName(path), reason }, { cause: err });
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, zip) => {
      if (err !== null || zip === undefined) reject(badArchive(path, err ?? 'cannot open'));
      else resolve(zip);
    });
  });
}

/**
 * Visits the central directory entries of a zip (metadata only: yauzl reads them by random
 * access, no file data is read); `visit` returns true to stop, or throws to fail the walk.
 */
function walk(
  path: string,
  zip: yauzl.ZipFile,
  visit: (entry: yauzl.Entry, index: number) => boolean,
): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    let index = -1;
    zip.on('entry', (entry: yauzl.Entry) => {
      index++;
      let found: boolean;
      try {
        found = visit(entry, index);
      } catch (err) {
        reject(err as Error); // a limit passed: stop listing
        return;
      }
      if (found) resolve(entry);
      else zip.readEntry();
    });
    zip.on('end', () => resolve(null));
    zip.on('error', (err: unknown) => reject(badArchive(path, err)));
    zip.readEntry();
  });
}

/**
 * Lists the regular files of a zip archive from its central directory, checking the limits on
 * the declared sizes (the inflated bytes are counted again when an entry is read: yauzl fails an
 * entry that inflates past its declared size, and delivery-sources bounds every file).
 */
export async function listZip(path: string, limits: AafLimits): Promise<ArchiveEntry[]> {
  const zip = await openZip(path);
  const out: ArchiveEntry[] = [];
  const tally: ArchiveTally = { entries: 0, bytes: 0 };
  try {
    await walk(path, zip, (entry, index) => {
      checkArchiveEntry(path, entry.fileName, entry.uncompressedSize, tally, limits);
      if (!entry.fileName.endsWith('/')) {
        out.push({ name: entry.fileName, size: entry.uncompressedSize, index });
      }
      return false;
    });
    return out;
  } finally {
    zip.close();
  }
}

/** Streams one entry of a zip (inflated on the fly); the zip closes when the stream does. */
export async function openZipEntry(path: string, wanted: ArchiveEntry): Promise<Readable> {
  const zip = await openZip(path);
  try {
    const entry = await walk(path, zip, (_e, index) => index === wanted.index);
    if (entry === null) throw badArchive(path, `${wanted.name} vanished`);
    const stream = await new Promise<Readable>((resolve, reject) => {
      zip.openReadStream(entry, (err, s) => {
        if (err !== null || s === undefined) reject(badArchive(path, err ?? 'no stream'));
        else resolve(s);
      });
    });
    let closed = false;
    const close = (): void => {
      if (!closed) zip.close();
      closed = true;
    };
    const out = new PassThrough();
    stream.on('error', (err) => out.destroy(badArchive(path, err)));
    stream.on('end', close);
    out.on('close', () => {
      stream.destroy();
      close();
    });
    return stream.pipe(out);
  } catch (err) {
    zip.close();
    throw err;
  }
}
