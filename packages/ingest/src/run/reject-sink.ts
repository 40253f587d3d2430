import type { Reject } from '@aaf-sync/aaf';
import { bulkInsert, REJECT_DETAIL_COLUMNS, sql, type Executor } from '@aaf-sync/db';

export interface RejectRow {
  readonly fileId: number | null;
  readonly fileName: string;
  readonly line: number | null;
  readonly entity: string | null;
  readonly identifier: string | null;
  readonly structure: string | null;
  readonly uai: string | null;
  readonly reject: Reject;
  readonly raw: string | null;
}

const COLUMNS = ['import_id', 'file_id', ...REJECT_DETAIL_COLUMNS] as const;

/** Raw XML kept with a reject is cut at this size (a record is a few KB). */
const RAW_LIMIT = 16_384;

/** Buffers rejects and writes them to `import_reject` in batches. */
export class RejectSink {
  #buffer: RejectRow[] = [];
  #count = 0;
  readonly byCode = new Map<string, number>();

  constructor(
    private readonly db: Executor,
    private readonly importId: number,
  ) {}

  get count(): number {
    return this.#count;
  }

  async add(row: RejectRow): Promise<void> {
    this.#buffer.push(row);
    this.#count++;
    this.byCode.set(row.reject.code, (this.byCode.get(row.reject.code) ?? 0) + 1);
    if (this.#buffer.length >= 500) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#buffer.length === 0) return;
    const rows = this.#buffer.map((r) => ({
      import_id: this.importId,
      file_id: r.fileId,
      file_name: r.fileName,
      line: r.line,
      entity: r.entity,
      identifier: r.identifier,
      structure_jointure: r.structure,
      uai: r.uai,
      code: r.reject.code,
      message: r.reject.message,
      attribute: r.reject.attribute ?? null,
      raw: r.raw && r.raw.length > RAW_LIMIT ? `${r.raw.slice(0, RAW_LIMIT)}…` : r.raw,
    }));
    this.#buffer = [];
    await bulkInsert(this.db, 'import_reject', COLUMNS, rows);
  }

  /** Forgets the rejects of a file that turned out unreadable (its file error replaces them). */
  async dropFile(fileId: number): Promise<void> {
    const dropped = this.#buffer.filter((r) => r.fileId === fileId);
    this.#buffer = this.#buffer.filter((r) => r.fileId !== fileId);
    const res = await sql<{ code: string }>`
      delete from import_reject where import_id = ${this.importId} and file_id = ${fileId} returning code`.execute(
      this.db,
    );
    for (const code of [...dropped.map((r) => r.reject.code), ...res.rows.map((r) => r.code)]) {
      this.byCode.set(code, (this.byCode.get(code) ?? 1) - 1);
      this.#count--;
    }
  }
}
