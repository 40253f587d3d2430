import type { Readable } from 'node:stream';
import { canonicalEncoding, createByteDecoder, type ByteDecoder } from './byte-decoder.js';
import { AafErrors } from './errors.js';
import { aafLimits, type AafLimits } from './limits.js';
import type { AafEntity, ReaderItem, ReadSummary, UnchangedItem } from './model.js';
import { ParseSession } from './parse-session.js';
import { feedSkipping, type SkipFilter } from './request-skipper.js';
import { declarationComplete, sniffEncoding } from './xml-declaration.js';

export interface ReadAafFileOptions {
  /** The file's name, for messages (and nothing else). */
  readonly fileName: string;
  /** The file's entity (from its name): requests of another category are rejected. */
  readonly entity?: AafEntity;
  /** Bounds on nesting, attributes, values and bytes (DEFAULT_AAF_LIMITS for what is not given). */
  readonly limits?: Partial<AafLimits>;
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
  return Buffer.from(String(chunk), 'utf8');
}

function decoderFor(fileName: string, head: Buffer): { decoder: ByteDecoder; skip: number } {
  const sniff = sniffEncoding(head);
  if (sniff.bom !== null && sniff.bom !== 'utf-8') {
    throw AafErrors.UNSUPPORTED_ENCODING({ fileName, encoding: `${sniff.bom} (byte-order mark)` });
  }
  // A UTF-8 byte-order mark wins over the declaration (XML 1.0, appendix F).
  const label = sniff.bom ?? sniff.declared ?? 'utf-8';
  const encoding = canonicalEncoding(label);
  if (encoding === null) throw AafErrors.UNSUPPORTED_ENCODING({ fileName, encoding: label });
  return { decoder: createByteDecoder(encoding), skip: sniff.skip };
}

/**
 * Streams the records of one AAF file. Bytes are pulled from `input` only as items are
 * consumed (backpressure), decoded per the XML declaration (UTF-8 by default), and parsed with
 * saxes in strict mode; memory stays flat whatever the file size. Record-level problems come
 * out as `reject` items and reading goes on; file-level problems (not XML, wrong root,
 * truncated, empty, entity declarations, unsupported encoding, a limit of `options.limits` passed) are thrown as AafErrors, possibly
 * after some items were yielded: the consumer then discards the whole file.
 *
 * @example
 * const reader = readAafFile(createReadStream(path), { fileName, entity: 'Eleve' });
 * for await (const item of reader) if (item.type === 'record') use(item.record);
 * // the generator's return value is the ReadSummary (use reader.next() to get it).
 */
export function readAafFile(
  input: Readable,
  options: ReadAafFileOptions,
): AsyncGenerator<ReaderItem, ReadSummary> {
  return readFile(input, options, null) as AsyncGenerator<ReaderItem, ReadSummary>;
}

/**
 * `readAafFile` that fingerprints every addRequest from its bytes before parsing it (see
 * RequestPrint) and asks `skip`, a batch at a time, which ones the consumer already holds:
 * those are not parsed and come out as `unchanged` items (in file order, counted as records);
 * the others are parsed as usual, their records carrying `rawHash`. Everything else (prolog,
 * other requests, what lies between requests) goes through the parser, so the file's checks and
 * errors are those of readAafFile. A request is skipped only between two requests at the root,
 * and a fingerprint given only to a request that parsed alone, from there back to there, into
 * one record: skipping identical bytes leaves the parser where parsing them would have.
 */
export function readAafFileSkipping(
  input: Readable,
  options: ReadAafFileOptions & { readonly entity: AafEntity },
  skip: SkipFilter,
): AsyncGenerator<ReaderItem | UnchangedItem, ReadSummary> {
  return readFile(input, options, skip);
}

async function* readFile(
  input: Readable,
  options: ReadAafFileOptions,
  skip: SkipFilter | null,
): AsyncGenerator<ReaderItem | UnchangedItem, ReadSummary> {
  const { fileName } = options;
  const limits = aafLimits(options.limits);
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<unknown>;
  let bytes = 0;
  const next = async (): Promise<Buffer | null> => {
    const step = await chunks.next();
    if (step.done === true) return null;
    const buf = toBuffer(step.value);
    bytes += buf.length;
    if (bytes > limits.maxFileBytes) {
      throw AafErrors.FILE_TOO_LARGE({ fileName, limit: limits.maxFileBytes });
    }
    return buf;
  };
  try {
    let head: Buffer = Buffer.alloc(0);
    let ended = false;
    while (!declarationComplete(head)) {
      const buf = await next();
      if (buf === null) {
        ended = true;
        break;
      }
      head = head.length === 0 ? buf : Buffer.concat([head, buf]);
    }
    if (bytes === 0) throw AafErrors.EMPTY_FILE({ fileName });
    const { decoder, skip: bom } = decoderFor(fileName, head);
    const session = new ParseSession(fileName, options.entity, limits);
    const { items } = session.collector;
    if (skip !== null && options.entity !== undefined) {
      const context = { session, decoder, entity: options.entity, next, skip };
      for await (const batch of feedSkipping(context, head.subarray(bom), ended)) {
        for (const item of batch) yield item;
      }
    } else {
      session.feed(decoder.write(head.subarray(bom)));
      for (;;) {
        for (const item of items.splice(0)) yield item;
        const buf = ended ? null : await next();
        if (buf === null) break;
        session.feed(decoder.write(buf));
      }
    }
    session.feed(decoder.end());
    session.finish();
    for (const item of items.splice(0)) yield item;
    const { collector } = session;
    return {
      encoding: decoder.encoding,
      formatVersion: collector.formatVersion,
      records: collector.records,
      rejects: collector.rejects,
      bytes,
      invalidBytes: decoder.invalidBytes,
    };
  } finally {
    await chunks.return?.();
  }
}
