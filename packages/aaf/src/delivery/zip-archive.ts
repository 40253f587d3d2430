import { PassThrough, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import { AafErrors } from '../errors.js';
import type { ArchiveEntry } from './tar-archive.js';

function badArchive(path: string, err: unknown): Error {
  const reason = err instanceof Error ? err.message : String(err);
  return AafErrors.BAD_ARCHIVE({ archive: path, reason }, { cause: err });
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
 * access, no file data is read); `visit` returns true to stop. Closes the zip unless kept.
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
      if (visit(entry, index)) resolve(entry);
      else zip.readEntry();
    });
    zip.on('end', () => resolve(null));
    zip.on('error', (err: unknown) => reject(badArchive(path, err)));
    zip.readEntry();
  });
}

/** Lists the regular files of a zip archive from its central directory. */
export async function listZip(path: string): Promise<ArchiveEntry[]> {
  const zip = await openZip(path);
  const out: ArchiveEntry[] = [];
  try {
    await walk(path, zip, (entry, index) => {
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
