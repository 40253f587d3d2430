// Hostile AAF inputs, generated on the fly (streams written to temp files; nothing big is
// committed or held in memory). Used by the reader's limit tests and the CLI's hostile suite.
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import yazl from 'yazl';

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<ficAlimMENESR>\n';
const CHUNK = 64 * 1024;

/** `head`, then `count` repetitions of `unit(i)` in ~64 KiB chunks, then `tail`; lazily. */
export function repeated(
  head: string,
  count: number,
  unit: (i: number) => string,
  tail = '',
): Readable {
  let i = 0;
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(head);
        return;
      }
      if (i >= count) {
        if (tail !== '') this.push(tail);
        this.push(null);
        return;
      }
      let text = '';
      while (i < count && text.length < CHUNK) text += unit(i++);
      this.push(text);
    },
  });
}

/** `<ficAlimMENESR>` then `depth` nested `<a>` (never closed). */
export const deepNesting = (depth: number): Readable => repeated(HEAD, depth, () => '<a>');

/** One request start tag carrying `count` XML attributes. */
export const xmlAttributeFlood = (count: number): Readable =>
  repeated(`${HEAD}<addRequest`, count, (i) => ` a${i}=""`, '>');

const REQUEST_HEAD =
  `${HEAD}<addRequest><operationalAttributes><attr name="categoriePersonne"><value>Eleve</value>` +
  '</attr></operationalAttributes><identifier><id>1</id></identifier><attributes>';
const REQUEST_TAIL = '</attributes></addRequest></ficAlimMENESR>\n';

/** One request with `count` distinct `<attr>` names. */
export const attrElementFlood = (count: number): Readable =>
  repeated(REQUEST_HEAD, count, (i) => `<attr name="x${i}"><value/></attr>`, REQUEST_TAIL);

/** One attribute with `count` distinct values. */
export const valueFlood = (count: number): Readable =>
  repeated(
    `${REQUEST_HEAD}<attr name="ENTEleveClasses">`,
    count,
    (i) => `<value>${i}</value>`,
    `</attr>${REQUEST_TAIL}`,
  );

/** `bytes` zero bytes, lazily. */
export function zeros(bytes: number): Readable {
  let left = bytes;
  const block = Buffer.alloc(CHUNK);
  return new Readable({
    read() {
      if (left <= 0) {
        this.push(null);
        return;
      }
      const n = Math.min(left, CHUNK);
      left -= n;
      this.push(n === CHUNK ? block : block.subarray(0, n));
    },
  });
}

export async function writeStream(path: string, input: Readable): Promise<void> {
  await pipeline(input, createWriteStream(path));
}

/** A .tgz with one member of `bytes` bytes streamed from `data` (default: zeros). */
export async function writeTgz(
  path: string,
  member: string,
  bytes: number,
  data: Readable = zeros(bytes),
): Promise<void> {
  const pack = tar.pack();
  const done = pipeline(pack, createGzip(), createWriteStream(path));
  const entry = pack.entry({ name: member, size: bytes });
  await pipeline(data, entry);
  pack.finalize();
  await done;
}

/** A .zip with the given members, each `bytes` zeros (streamed through yazl). */
export async function writeZip(path: string, members: string[], bytes: number): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const name of members) zip.addReadStream(zeros(bytes), name);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
}

/**
 * A .zip of one member of `bytes` zeros whose headers declare `declared` bytes instead (a
 * lying zip: the central directory and the local header are patched).
 */
export async function writeLyingZip(
  path: string,
  member: string,
  bytes: number,
  declared: number,
): Promise<void> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.alloc(bytes), member);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  const buf = Buffer.concat(chunks);
  // local file header (PK\3\4): uncompressed size at +22; central directory (PK\1\2): +24
  for (let at = buf.indexOf('PK\x03\x04'); at >= 0; at = buf.indexOf('PK\x03\x04', at + 4)) {
    buf.writeUInt32LE(declared, at + 22);
  }
  for (let at = buf.indexOf('PK\x01\x02'); at >= 0; at = buf.indexOf('PK\x01\x02', at + 4)) {
    buf.writeUInt32LE(declared, at + 24);
  }
  const file = await open(path, 'w');
  await file.writeFile(buf);
  await file.close();
}

/** Cuts a file to its first `keep` bytes (a truncated transfer). */
export async function truncateTo(path: string, keep: number): Promise<void> {
  const file = await open(path, 'r+');
  await file.truncate(keep);
  await file.close();
}
