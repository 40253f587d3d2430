import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { GeneratorErrors } from './errors.js';
import { encodeLatin9, type TextMode } from './xml-escape.js';

export type FileEncoding = 'UTF-8' | 'ISO-8859-15';

/** How one chunk file is written: its declared encoding and how text is escaped in it. */
export interface ChunkStyle {
  readonly encoding: FileEncoding;
  readonly mode: TextMode;
}

/** What the manifest says about one written file. */
export interface WrittenFile {
  readonly name: string;
  readonly entity: string;
  readonly chunk: number;
  readonly encoding: FileEncoding;
  readonly adds: number;
  readonly modifies: number;
  readonly deletes: number;
  readonly bytes: number;
}

export type RequestKind = 'add' | 'modify' | 'delete';

interface OpenChunk {
  readonly name: string;
  readonly chunk: number;
  readonly style: ChunkStyle;
  adds: number;
  modifies: number;
  deletes: number;
  bytes: number;
}

const FLUSH_AT = 1 << 18;
export const AAF_VERSION = 'AAF-VE2401';

/**
 * Writes the records of one entity into `<base>_NNNN.xml` chunks of at most `chunkSize` records,
 * through a buffered stream that honours backpressure (memory stays flat whatever the size).
 */
export class ChunkedXmlWriter {
  readonly #dir: string;
  readonly #base: string;
  readonly #entity: string;
  readonly #chunkSize: number;
  readonly #styleOf: (chunk: number) => ChunkStyle;
  readonly #files: WrittenFile[] = [];
  #stream: WriteStream | null = null;
  #current: OpenChunk | null = null;
  #pending = '';
  #chunk = 0;
  #error: unknown = null;

  constructor(options: {
    dir: string;
    /** `ENT_TEST_Complet_20240907`. */
    prefix: string;
    entity: string;
    chunkSize: number;
    styleOf?: (chunk: number) => ChunkStyle;
  }) {
    this.#dir = options.dir;
    this.#base = `${options.prefix}_${options.entity}`;
    this.#entity = options.entity;
    this.#chunkSize = options.chunkSize;
    this.#styleOf = options.styleOf ?? (() => ({ encoding: 'UTF-8', mode: 'ncr' }));
  }

  /** The style of the chunk the next record goes into (renderers escape text accordingly). */
  get style(): ChunkStyle {
    const cur = this.#current;
    if (cur && cur.adds + cur.modifies + cur.deletes < this.#chunkSize) return cur.style;
    return this.#styleOf(this.#chunk);
  }

  async write(record: string, kind: RequestKind): Promise<void> {
    let cur = this.#current;
    if (!cur || cur.adds + cur.modifies + cur.deletes >= this.#chunkSize) cur = await this.#open();
    if (kind === 'add') cur.adds++;
    else if (kind === 'modify') cur.modifies++;
    else cur.deletes++;
    this.#pending += record;
    if (this.#pending.length >= FLUSH_AT) await this.#flush();
  }

  /** Closes the last chunk (an entity with no record still gets an empty `_0000`). */
  async close(): Promise<WrittenFile[]> {
    if (!this.#current) await this.#open();
    await this.#finish();
    return this.#files;
  }

  async #open(): Promise<OpenChunk> {
    if (this.#current) await this.#finish();
    const chunk = this.#chunk++;
    const name = `${this.#base}_${String(chunk).padStart(4, '0')}.xml`;
    const style = this.#styleOf(chunk);
    const path = join(this.#dir, name);
    const stream = createWriteStream(path);
    stream.on('error', (err) => {
      this.#error ??= err;
    });
    this.#stream = stream;
    this.#current = { name, chunk, style, adds: 0, modifies: 0, deletes: 0, bytes: 0 };
    this.#pending =
      `<?xml version="1.0" encoding="${style.encoding}"?>\n` +
      '<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">\n' +
      `<ficAlimMENESR>\n<!-- versionAF="${AAF_VERSION}" -->\n`;
    return this.#current;
  }

  async #flush(): Promise<void> {
    const stream = this.#stream;
    const cur = this.#current;
    if (!stream || !cur || this.#pending === '') return;
    this.#check(cur.name);
    const bytes =
      cur.style.encoding === 'UTF-8'
        ? Buffer.from(this.#pending, 'utf8')
        : encodeLatin9(this.#pending);
    this.#pending = '';
    cur.bytes += bytes.length;
    if (!stream.write(bytes)) await this.#drain(stream, cur.name);
  }

  #check(name: string): void {
    if (this.#error) {
      throw GeneratorErrors.OUTPUT_FAILED(
        { path: join(this.#dir, name), reason: String(this.#error) },
        { cause: this.#error },
      );
    }
  }

  async #drain(stream: WriteStream, name: string): Promise<void> {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        stream.off('drain', done);
        stream.off('error', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('error', done);
    });
    this.#check(name);
  }

  async #finish(): Promise<void> {
    const cur = this.#current;
    const stream = this.#stream;
    if (!cur || !stream) return;
    this.#pending += '</ficAlimMENESR>\n';
    await this.#flush();
    await new Promise<void>((resolve) => {
      stream.once('error', () => resolve());
      stream.end(() => resolve());
    });
    this.#check(cur.name);
    const { name, chunk, style, adds, modifies, deletes, bytes } = cur;
    this.#files.push({
      name,
      entity: this.#entity,
      chunk,
      encoding: style.encoding,
      adds,
      modifies,
      deletes,
      bytes,
    });
    this.#current = null;
    this.#stream = null;
  }
}
