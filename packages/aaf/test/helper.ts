import { Readable } from 'node:stream';
import { join, resolve } from 'node:path';
import {
  readAafFile,
  type AafEntity,
  type RawRecord,
  type ReaderItem,
  type ReadSummary,
} from '../src/index.js';

export const FIXTURES = resolve(import.meta.dirname, '../../../test/fixtures/aaf-samples');
export const fixture = (level: '1d' | '2d', name: string): string => join(FIXTURES, level, name);

export interface ReadResult {
  readonly items: ReaderItem[];
  readonly records: RawRecord[];
  readonly rejects: Extract<ReaderItem, { type: 'reject' }>[];
  readonly summary: ReadSummary;
}

/** Bytes (or text, encoded UTF-8) as a Readable, in chunks of `chunkSize` bytes. */
export function bytesStream(content: string | Buffer, chunkSize = 64 * 1024): Readable {
  const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunkSize) chunks.push(buf.subarray(i, i + chunkSize));
  return Readable.from(chunks, { objectMode: false });
}

/** Reads a whole file through readAafFile and collects everything. */
export async function readAll(
  input: Readable,
  options: { fileName?: string; entity?: AafEntity } = {},
): Promise<ReadResult> {
  const reader = readAafFile(input, { fileName: options.fileName ?? 'test.xml', ...options });
  const items: ReaderItem[] = [];
  for (;;) {
    const step = await reader.next();
    if (step.done === true) {
      const records = items.flatMap((i) => (i.type === 'record' ? [i.record] : []));
      const rejects = items.flatMap((i) => (i.type === 'reject' ? [i] : []));
      return { items, records, rejects, summary: step.value };
    }
    items.push(step.value);
  }
}

const HEADER =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">\n<ficAlimMENESR>\n';

/** A whole AAF document around `body`. */
export function aafDocument(body: string, header = HEADER): string {
  return `${header}${body}</ficAlimMENESR>\n`;
}

/** One addRequest of category `category` with the given attributes. */
export function addRequest(
  id: string,
  attributes: Record<string, readonly string[]>,
  category = 'Eleve',
  categoryAttribute = 'categoriePersonne',
): string {
  const attrs = Object.entries(attributes)
    .map(([name, values]) => {
      const vs = values.map((v) => (v === '' ? '<value/>' : `<value>${v}</value>`)).join('');
      return `<attr name="${name}">${vs}</attr>`;
    })
    .join('\n');
  return (
    `<addRequest>\n<operationalAttributes><attr name="${categoryAttribute}"><value>${category}</value></attr></operationalAttributes>\n` +
    `<identifier><id>${id}</id></identifier>\n<attributes>\n${attrs}\n</attributes>\n</addRequest>\n`
  );
}
