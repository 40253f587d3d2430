import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isAppError } from '@aaf-sync/errors';
import tar from 'tar-stream';
import { AafErrors } from '../errors.js';
import { baseName } from '../file-name.js';
import type { AafLimits } from '../limits.js';
import { checkArchiveEntry, type ArchiveTally } from './archive-limits.js';
import { limitBytes } from './byte-limit.js';

/** A regular file inside an archive. */
export interface ArchiveEntry {
  /** The entry path inside the archive. */
  readonly name: string;
  readonly size: number;
  /** Position among the archive's entries (tar: sequential order). */
  readonly index: number;
}

type Entry = AsyncIterable<Buffer> & { header: tar.Header };

/** A pass left idle this long is closed (its file handle released). */
const IDLE_CLOSE_MS = 10_000;

function badArchive(path: string, err: unknown): Error {
  if (isAppError(err)) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return AafErrors.BAD_ARCHIVE({ archive: baseName(path), reason }, { cause: err });
}

/**
 * One sequential pass over a tar (optionally gzip) archive: file bytes → gunzip → tar-stream,
 * never more than a few chunks in memory. Entries are visited in order; a pass can serve
 * several entries as long as they are asked for in archive order.
 */
class TarPass {
  /** Index of the last entry taken from the iterator. */
  position = -1;
  busy = false;
  dead = false;
  private idle: NodeJS.Timeout | null = null;
  private readonly iterator: AsyncIterator<Entry>;
  private readonly teardown: () => void;

  /** `maxBytes`: the uncompressed tar stream is counted as it flows and cut past this. */
  constructor(
    readonly path: string,
    gzip: boolean,
    maxBytes: number,
  ) {
    const file = createReadStream(path);
    const extract = tar.extract();
    const fail = (err: Error): void => {
      extract.destroy(err);
    };
    file.on('error', fail);
    const gunzip = gzip ? createGunzip() : null;
    gunzip?.on('error', fail);
    const counted = limitBytes(gunzip ? file.pipe(gunzip) : file, maxBytes, () =>
      AafErrors.ARCHIVE_TOO_LARGE({
        archive: baseName(path),
        reason: `more than ${maxBytes} bytes uncompressed`,
      }),
    );
    counted.on('error', fail);
    counted.pipe(extract);
    this.teardown = () => {
      file.destroy();
      gunzip?.destroy();
      counted.destroy();
      extract.destroy();
    };
    this.iterator = (extract as unknown as AsyncIterable<Entry>)[Symbol.asyncIterator]();
  }

  /** The next entry, or null at the end of the archive. */
  async next(): Promise<Entry | null> {
    try {
      const step = await this.iterator.next();
      if (step.done === true) return null;
      this.position++;
      return step.value;
    } catch (err) {
      this.close();
      throw badArchive(this.path, err);
    }
  }

  /** Reserves the pass for one entry (seeking, then serving it). */
  take(): void {
    if (this.idle !== null) clearTimeout(this.idle);
    this.idle = null;
    this.busy = true;
  }

  /** The entry was served: the pass may serve a later one, or closes after `idleMs`. */
  release(idleMs: number): void {
    this.busy = false;
    this.idle = setTimeout(() => this.close(), idleMs);
    this.idle.unref();
  }

  close(): void {
    if (this.idle !== null) clearTimeout(this.idle);
    this.idle = null;
    this.busy = false;
    this.dead = true;
    this.teardown();
  }
}

async function drain(entry: Entry): Promise<void> {
  for await (const _ of entry);
}

/**
 * Lists the regular files of a tar archive (one full pass; data is skipped, not kept). The
 * limits are checked on each header, before its data is inflated.
 */
export async function listTar(
  path: string,
  gzip: boolean,
  limits: AafLimits,
): Promise<ArchiveEntry[]> {
  const pass = new TarPass(path, gzip, limits.maxArchiveBytes);
  const out: ArchiveEntry[] = [];
  const tally: ArchiveTally = { entries: 0, bytes: 0 };
  try {
    for (let entry = await pass.next(); entry !== null; entry = await pass.next()) {
      const { header } = entry;
      const type = header.type ?? 'file';
      checkArchiveEntry(path, header.name, header.size ?? 0, tally, limits);
      if (type === 'file' || type === 'contiguous-file') {
        out.push({ name: header.name, size: header.size ?? 0, index: pass.position });
      }
      await drain(entry).catch((err: unknown) => {
        throw badArchive(path, err);
      });
    }
    return out;
  } finally {
    pass.close();
  }
}

/**
 * Streams entries out of one tar archive. Opening an entry after the one read last reuses the
 * running pass; going back (or opening while the previous entry is still being read) starts a
 * new pass from the start of the archive, so memory stays flat in every case.
 */
export class TarReader {
  /** The pass to reuse for the next entry (others may still be serving an entry). */
  private pass: TarPass | null = null;

  /** `lastIndex`: the index of the archive's last file (its pass can close after it). */
  constructor(
    readonly path: string,
    private readonly gzip: boolean,
    private readonly lastIndex: number,
    private readonly maxBytes: number,
  ) {}

  async open(entry: ArchiveEntry): Promise<Readable> {
    let pass = this.pass;
    if (pass === null || pass.dead || pass.busy || pass.position >= entry.index) {
      if (pass !== null && !pass.busy) pass.close();
      pass = this.pass = new TarPass(this.path, this.gzip, this.maxBytes);
    }
    pass.take();
    for (;;) {
      const found = await pass.next();
      if (found === null) {
        pass.close();
        throw badArchive(this.path, `${entry.name} vanished`);
      }
      if (pass.position === entry.index) return this.serve(pass, found, entry.index);
      await drain(found).catch((err: unknown) => {
        pass.close();
        throw badArchive(this.path, err);
      });
    }
  }

  /** After an entry: keep the pass for the next one, unless nothing follows or nobody asks. */
  private rest(pass: TarPass, index: number): void {
    if (pass !== this.pass || index >= this.lastIndex) pass.close();
    else pass.release(IDLE_CLOSE_MS);
  }

  private serve(pass: TarPass, entry: Entry, index: number): Readable {
    const chunks = entry[Symbol.asyncIterator]();
    const path = this.path;
    let ended = false;
    const rest = (): void => this.rest(pass, index);
    return new Readable({
      async read() {
        try {
          const step = await chunks.next();
          if (step.done === true) {
            ended = true;
            rest();
            this.push(null);
          } else {
            this.push(step.value);
          }
        } catch (err) {
          this.destroy(badArchive(path, err));
        }
      },
      destroy(err, callback) {
        if (!ended) pass.close();
        callback(err);
      },
    });
  }
}
