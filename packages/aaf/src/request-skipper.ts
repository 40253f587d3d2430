import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { documentedAttributes } from './attribute-dictionary.js';
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
  readonly entity: AafEntity;
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
    readonly unknownAttributes: readonly string[],
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

/** FNV-1a of some bytes (ASCII names). */
function fnv(bytes: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i]!, 16777619);
  return h >>> 0;
}

/** An entity's documented attribute names by the FNV-1a hash of their bytes. */
function documentedByHash(entity: AafEntity): Map<number, string> {
  const out = new Map<number, string>();
  for (const name of documentedAttributes(entity)) {
    out.set(fnv(Buffer.from(name, 'latin1'), 0, name.length), name);
  }
  return out;
}

/** What a skipped request gives the parser and the consumer instead of being parsed. */
interface RequestScan {
  /** Its line breaks, for the parser (later lines stay the file's). */
  readonly lineBreaks: string;
  /** Names of its `<attributes>` the format does not document. */
  readonly unknown: string[];
}

/**
 * One pass over a request's bytes (no string made for a documented attribute name): its line
 * breaks and its undocumented attribute names. Null when unusual (lone CRs, a name with a
 * reference or a non-ASCII byte): the request is then parsed.
 */
function scanRequest(bytes: Buffer, documented: ReadonlyMap<number, string>): RequestScan | null {
  const n = bytes.length;
  const section = bytes.indexOf(ATTRIBUTES);
  const namesFrom = section < 0 ? n : section;
  const unknown: string[] = [];
  let lf = 0;
  let cr = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === LF) lf++;
    else if (b === CR) cr++;
    else if (b === 0x3c && i > namesFrom && startsAt(bytes, i, ATTR_NAME)) {
      const from = i + ATTR_NAME.length;
      let to = from;
      while (to < n && bytes[to] !== 0x22) {
        if (bytes[to] === 0x26 || bytes[to]! >= 0x80) return null;
        to++;
      }
      if (to >= n) return null;
      const name = documented.get(fnv(bytes, from, to));
      if (name === undefined || !sameName(bytes, from, to, name)) {
        unknown.push(bytes.toString('latin1', from, to));
      }
      i = to;
    }
  }
  if (cr !== 0 && cr !== lf) return null;
  return { lineBreaks: (cr === 0 ? '\n' : '\r\n').repeat(lf), unknown };
}

function startsAt(bytes: Buffer, at: number, what: Buffer): boolean {
  if (at + what.length > bytes.length) return false;
  for (let k = 1; k < what.length; k++) if (bytes[at + k] !== what[k]) return false;
  return true;
}

function sameName(bytes: Buffer, from: number, to: number, name: string): boolean {
  if (to - from !== name.length) return false;
  for (let k = 0; k < name.length; k++) if (bytes[from + k] !== name.charCodeAt(k)) return false;
  return true;
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
  const prefix = `${ctx.entity}\u0000${decoder.encoding}\u0000`;
  const documented = documentedByHash(ctx.entity);
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
        const scan = scanRequest(bytes, documented);
        if (scan !== null) {
          const item = new SkippedRequest(
            print.id,
            print.hash,
            session.line,
            scan.unknown,
            bytes,
            decode,
          );
          if (session.skip(item, scan.lineBreaks)) continue;
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
