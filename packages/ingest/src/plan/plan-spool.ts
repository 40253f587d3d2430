import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { PlanItem } from './plan-item.js';

const SPOOL_PREFIX = 'aaf-sync-plan-p';
/** Characters of plan lines gathered before one write to the spool file. */
const SPOOL_WRITE_CHARS = 1 << 20;
const NEWLINE = 0x0a;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the plan spools in `tmp` whose process is gone (a SIGKILLed import leaves its spool
 * behind; nothing else would ever remove it). Answers the folders removed.
 */
export async function sweepDeadSpools(tmp: string = tmpdir()): Promise<string[]> {
  const names = await readdir(tmp).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(SPOOL_PREFIX)) continue;
    const pid = Number(name.slice(SPOOL_PREFIX.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || alive(pid)) continue;
    await rm(join(tmp, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * The plan of an import, item by item, spooled to a temporary NDJSON file: writing and reading it
 * back costs a fraction of a database round trip, and memory stays flat whatever the delivery.
 * Items that must outlive the process (held establishments, dry runs) are copied to
 * `import_plan_item` once the plan is complete.
 */
export class PlanSpool {
  #out: WriteStream;
  #count = 0;
  /** Lines not written yet: the file is written a mebibyte at a time, not once per item. */
  #pending = '';
  readonly #droppedFiles = new Set<number>();

  private constructor(
    private readonly dir: string,
    private readonly path: string,
  ) {
    this.#out = createWriteStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  }

  /**
   * A new spool in the system's temporary folder, named after this process and the import
   * (`aaf-sync-plan-p<pid>-<import>-…`). Spools left by a process that no longer exists (killed
   * mid-import) are removed first.
   */
  static async create(importId: number, tmp: string = tmpdir()): Promise<PlanSpool> {
    await sweepDeadSpools(tmp);
    const dir = await mkdtemp(join(tmp, `${SPOOL_PREFIX}${process.pid}-${importId}-`));
    return new PlanSpool(dir, join(dir, 'plan.ndjson'));
  }

  get size(): number {
    return this.#count;
  }

  async add(item: PlanItem): Promise<void> {
    this.#count++;
    this.#pending += `${JSON.stringify(item)}\n`;
    if (this.#pending.length >= SPOOL_WRITE_CHARS) await this.#write();
  }

  async #write(): Promise<void> {
    const text = this.#pending;
    this.#pending = '';
    if (!this.#out.write(text)) await once(this.#out, 'drain');
  }

  /** Forgets every item of a file that turned out unreadable. */
  dropFile(fileId: number): void {
    this.#droppedFiles.add(fileId);
  }

  /** Ends writing; call once the plan is complete, before reading. */
  async close(): Promise<void> {
    if (this.#pending.length > 0) await this.#write();
    this.#out.end();
    await once(this.#out, 'finish');
  }

  /**
   * Reads the items back in order, `batchSize` at a time, keeping those `keep` accepts. The file
   * is read a mebibyte at a time and split on newline bytes (a newline byte never occurs inside a
   * UTF-8 sequence, and JSON.stringify escapes those of strings): no line reader, and one decode
   * per item, straight from the bytes.
   */
  async *batches(
    batchSize: number,
    keep: (item: PlanItem) => boolean = () => true,
  ): AsyncGenerator<PlanItem[]> {
    let batch: PlanItem[] = [];
    let rest: Buffer = Buffer.alloc(0);
    for await (const chunk of createReadStream(this.path, { highWaterMark: 1 << 20 })) {
      const bytes = rest.length === 0 ? (chunk as Buffer) : Buffer.concat([rest, chunk as Buffer]);
      let start = 0;
      for (let end = bytes.indexOf(NEWLINE); end >= 0; end = bytes.indexOf(NEWLINE, start)) {
        const item = end > start ? this.#kept(bytes.toString('utf8', start, end), keep) : null;
        start = end + 1;
        if (!item) continue;
        batch.push(item);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      rest = bytes.subarray(start);
    }
    const last = rest.length > 0 ? this.#kept(rest.toString('utf8'), keep) : null;
    if (last) batch.push(last);
    if (batch.length > 0) yield batch;
  }

  /** The item of a line, unless its file was dropped or `keep` refuses it. */
  #kept(line: string, keep: (item: PlanItem) => boolean): PlanItem | null {
    const item = JSON.parse(line) as PlanItem;
    if (item.fileId !== null && this.#droppedFiles.has(item.fileId)) return null;
    return keep(item) ? item : null;
  }

  /** Removes the temporary file. */
  async dispose(): Promise<void> {
    this.#out.destroy();
    await rm(this.dir, { recursive: true, force: true });
  }
}
