import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { ByteDecoder } from './byte-decoder.js';
import type { AafEntity, ReaderItem, RequestPrint, UnchangedItem } from './model.js';
import type { ParseSession } from './parse-session.js';

/**
 * Given the fingerprints of a batch of addRequests (file order), the ids of those the consumer
 * already holds with that very fingerprint: they are skipped without parsing.
 */
export type SkipFilter = (prints: readonly RequestPrint[]) => Promise<ReadonlySet<string>>;

export interface SkippingContext {
  readonly session: ParseSession;
  readonly decoder: ByteDecoder;
  readonly entity: AafEntity | null;
  /** The next chunk of the file's bytes, null at the end. */
  readonly next: () => Promise<Buffer | null>;
  readonly skip: SkipFilter;
}

/** Bytes gathered before a batch is fingerprinted (about a thousand persons' requests). */
const BATCH_BYTES = 2 * 1024 * 1024;
/** An unfinished request longer than this is handed to the parser as it comes (its limits). */
const MAX_REQUEST_BYTES = 8 * 1024 * 1024;
const OPEN = Buffer.from('<addRequest>');
const CLOSE = Buffer.from('</addRequest>');
const ID_OPEN = Buffer.from('<id>');
const ID_CLOSE = Buffer.from('</id>');
const ATTRIBUTES = Buffer.from('<attributes>');
const ATTR_NAME = Buffer.from('<attr name="');
const LF = 0x0a;
const CR = 0x0d;
/** Ids read from bytes only when plain (what the parser would give back unchanged). */
const PLAIN_ID = /^[A-Za-z0-9._:-]+$/;

/** A skipped request; its text is decoded only if asked for (a reject after all). */
class SkippedRequest implements UnchangedItem {
  readonly type = 'unchanged';

  constructor(
    readonly id: string,
    readonly rawHash: string,
    readonly line: number,
    readonly attributeNames: readonly string[],
    private readonly bytes: Buffer,
    private readonly decode: (bytes: Buffer) => string,
  ) {}

  get raw(): string {
    return this.decode(this.bytes);
  }
}

/** A stretch of the batch: what lies between requests, or one addRequest element. */
interface Segment {
  readonly from: number;
  readonly to: number;
  readonly print: RequestPrint | null;
}

/**
 * Cuts `buf` into segments: addRequest elements and what lies between them. Without `ended`,
 * the tail that may hold an unfinished request is left for the next batch (`rest`).
 */
function segmentsOf(
  buf: Buffer,
  ended: boolean,
  printOf: (buf: Buffer, from: number, to: number) => RequestPrint | null,
): { segments: Segment[]; rest: Buffer } {
  const segments: Segment[] = [];
  let pos = 0;
  let cut = buf.length;
  for (;;) {
    const start = buf.indexOf(OPEN, pos);
    if (start < 0) {
      // Keep from the last '<' on: it may start a request whose name is in the next chunk.
      const last = ended ? -1 : buf.lastIndexOf(0x3c);
      if (last >= pos && buf.length - last < MAX_REQUEST_BYTES) cut = last;
      break;
    }
    const end = buf.indexOf(CLOSE, start + OPEN.length);
    if (end < 0) {
      if (!ended && buf.length - start < MAX_REQUEST_BYTES) cut = start;
      break;
    }
    if (start > pos) segments.push({ from: pos, to: start, print: null });
    const to = end + CLOSE.length;
    segments.push({ from: start, to, print: printOf(buf, start, to) });
    pos = to;
  }
  if (cut > pos) segments.push({ from: pos, to: cut, print: null });
  return { segments, rest: buf.subarray(Math.max(cut, pos)) };
}

/** The line breaks of a skipped request (given to the parser instead), or null if unusual. */
function lineBreaksOf(bytes: Buffer): string | null {
  let lf = 0;
  for (let i = bytes.indexOf(LF); i >= 0; i = bytes.indexOf(LF, i + 1)) lf++;
  let cr = 0;
  for (let i = bytes.indexOf(CR); i >= 0; i = bytes.indexOf(CR, i + 1)) cr++;
  if (cr === 0) return '\n'.repeat(lf);
  return cr === lf ? '\r\n'.repeat(lf) : null;
}

/** The names of a request's `<attr name="…">` in its `<attributes>`, null if not plain. */
function attributeNamesOf(bytes: Buffer): string[] | null {
  const names: string[] = [];
  const section = bytes.indexOf(ATTRIBUTES);
  if (section < 0) return names;
  for (let i = bytes.indexOf(ATTR_NAME, section); i >= 0;) {
    const from = i + ATTR_NAME.length;
    const to = bytes.indexOf(0x22, from);
    if (to < 0) return null;
    const name = bytes.toString('latin1', from, to);
    if (name.includes('&')) return null;
    names.push(name);
    i = bytes.indexOf(ATTR_NAME, to);
  }
  return names;
}

/**
 * The skipping loop of readAafFileSkipping: reads the file's bytes a batch at a time, cuts them
 * into addRequests and what lies between, asks the consumer which fingerprints it holds, then
 * feeds the parser everything but the requests it may skip. Yields the items of each batch.
 */
export async function* feedSkipping(
  ctx: SkippingContext,
  first: Buffer,
  alreadyEnded: boolean,
): AsyncGenerator<(ReaderItem | UnchangedItem)[]> {
  const { session, decoder } = ctx;
  const { items } = session.collector;
  const prefix = `${ctx.entity ?? ''}\u0000${decoder.encoding}\u0000`;
  const printOf = (buf: Buffer, from: number, to: number): RequestPrint | null => {
    const open = buf.indexOf(ID_OPEN, from);
    const close = open < 0 ? -1 : buf.indexOf(ID_CLOSE, open);
    if (close < 0 || close > to) return null;
    const id = buf.toString('latin1', open + ID_OPEN.length, close).trim();
    if (!PLAIN_ID.test(id)) return null;
    const hash = createHash('sha1').update(prefix).update(buf.subarray(from, to)).digest('base64');
    return { id, hash };
  };
  const utf8 = decoder.encoding === 'utf-8';
  // (the single-byte decoders keep no state between writes)
  const decode = (bytes: Buffer) => (utf8 ? bytes.toString('utf8') : decoder.write(bytes));
  let rest = first;
  let ended = alreadyEnded;
  for (;;) {
    const parts: Buffer[] = [rest];
    let size = rest.length;
    // At least one new chunk a round: an unfinished request left in `rest` always progresses.
    while (!ended && (size < BATCH_BYTES || parts.length === 1)) {
      const buf = await ctx.next();
      if (buf === null) ended = true;
      else {
        parts.push(buf);
        size += buf.length;
      }
    }
    const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    const cut = segmentsOf(buf, ended, printOf);
    const prints = cut.segments.flatMap((s) => (s.print ? [s.print] : []));
    const known = prints.length > 0 ? await ctx.skip(prints) : new Set<string>();
    for (const { from, to, print } of cut.segments) {
      const bytes = buf.subarray(from, to);
      const between = print !== null && session.betweenRequests();
      if (between && known.has(print.id) && (!utf8 || isUtf8(bytes))) {
        const breaks = lineBreaksOf(bytes);
        const attributeNames = breaks === null ? null : attributeNamesOf(bytes);
        if (breaks !== null && attributeNames !== null) {
          const item = new SkippedRequest(
            print.id,
            print.hash,
            session.line,
            attributeNames,
            bytes,
            decode,
          );
          if (session.skip(item, breaks)) continue;
        }
      }
      const before = items.length;
      session.feed(decoder.write(bytes));
      if (!between || items.length !== before + 1) continue;
      // The fingerprint goes to a request parsed alone into one record, back between requests.
      const item = items[before]!;
      if (item.type === 'record' && item.record.op === 'add' && item.record.id === print.id) {
        if (session.betweenRequests())
          items[before] = { type: 'record', record: { ...item.record, rawHash: print.hash } };
      }
    }
    yield items.splice(0);
    rest = cut.rest;
    if (ended && rest.length === 0) return;
  }
}
