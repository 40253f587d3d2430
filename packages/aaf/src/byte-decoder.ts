import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/** A streaming bytes → text decoder for one file. */
export interface ByteDecoder {
  /** The canonical encoding name (`utf-8`, `iso-8859-1`, `iso-8859-15`, `windows-1252`). */
  readonly encoding: string;
  write(chunk: Buffer): string;
  end(): string;
  /** Bytes that were invalid in UTF-8 and decoded as windows-1252 instead (UTF-8 only). */
  readonly invalidBytes: number;
}

const ALIASES: Readonly<Record<string, string>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'us-ascii': 'utf-8',
  ascii: 'utf-8',
  'iso-8859-1': 'iso-8859-1',
  iso8859_1: 'iso-8859-1',
  'iso8859-1': 'iso-8859-1',
  'iso_8859-1': 'iso-8859-1',
  latin1: 'iso-8859-1',
  'latin-1': 'iso-8859-1',
  l1: 'iso-8859-1',
  'iso-8859-15': 'iso-8859-15',
  'iso8859-15': 'iso-8859-15',
  iso8859_15: 'iso-8859-15',
  'iso_8859-15': 'iso-8859-15',
  latin9: 'iso-8859-15',
  'latin-9': 'iso-8859-15',
  l9: 'iso-8859-15',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'x-cp1252': 'windows-1252',
};

/** Maps a declared encoding label to its canonical name, or null when it is not supported. */
export function canonicalEncoding(label: string): string | null {
  return ALIASES[label.trim().toLowerCase()] ?? null;
}

/** windows-1252 text of bytes 0x80…0xFF, the fallback for bytes that are not valid UTF-8. */
const CP1252_HIGH: readonly string[] = Array.from({ length: 128 }, (_, i) =>
  iconv.decode(Buffer.from([0x80 + i]), 'windows-1252'),
);

/** Where an incomplete UTF-8 sequence starts at the end of `buf` (buf.length when none). */
function incompleteTail(buf: Buffer): number {
  const len = buf.length;
  for (let k = 1; k <= 3 && k <= len; k++) {
    const b = buf[len - k]!;
    if ((b & 0xc0) === 0x80) continue;
    if (b < 0xc0) return len;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return need > k ? len - k : len;
  }
  return len;
}

/** Length of the valid UTF-8 sequence at `i`, or 0 when the byte there starts none. */
function sequenceAt(buf: Buffer, i: number): number {
  const b = buf[i]!;
  if (b < 0x80) return 1;
  const cont = (j: number): boolean => j < buf.length && (buf[j]! & 0xc0) === 0x80;
  if (b >= 0xc2 && b <= 0xdf) return cont(i + 1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const b1 = buf[i + 1] ?? 0;
    if (b === 0xe0 && b1 < 0xa0) return 0; // overlong
    if (b === 0xed && b1 >= 0xa0) return 0; // surrogate
    return cont(i + 1) && cont(i + 2) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const b1 = buf[i + 1] ?? 0;
    if (b === 0xf0 && b1 < 0x90) return 0;
    if (b === 0xf4 && b1 >= 0x90) return 0;
    return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

/**
 * UTF-8 with a per-byte windows-1252 fallback. The fast path validates each chunk natively
 * (`isUtf8`) and decodes it in one call; only a chunk holding invalid bytes is walked byte by
 * byte. An invalid byte is most likely a Latin-1/windows-1252 character in a file that declares
 * (or defaults to) UTF-8, so decoding it that way keeps `É` an `É` instead of U+FFFD; the count
 * is reported so that the consumer can warn.
 */
class Utf8Decoder implements ByteDecoder {
  readonly encoding = 'utf-8';
  invalidBytes = 0;
  private carry: Buffer | null = null;

  write(chunk: Buffer): string {
    let buf = this.carry === null ? chunk : Buffer.concat([this.carry, chunk]);
    this.carry = null;
    const cut = incompleteTail(buf);
    if (cut < buf.length) {
      this.carry = Buffer.from(buf.subarray(cut));
      buf = buf.subarray(0, cut);
    }
    return isUtf8(buf) ? buf.toString('utf8') : this.slow(buf);
  }

  end(): string {
    const rest = this.carry;
    this.carry = null;
    return rest === null ? '' : this.slow(rest);
  }

  private slow(buf: Buffer): string {
    const parts: string[] = [];
    let runStart = 0;
    let i = 0;
    while (i < buf.length) {
      const n = sequenceAt(buf, i);
      if (n > 0) {
        i += n;
        continue;
      }
      if (i > runStart) parts.push(buf.toString('utf8', runStart, i));
      parts.push(CP1252_HIGH[buf[i]! - 0x80] ?? '\ufffd');
      this.invalidBytes++;
      i++;
      runStart = i;
    }
    if (i > runStart) parts.push(buf.toString('utf8', runStart, i));
    return parts.join('');
  }
}

/** Single-byte encodings through iconv-lite (ISO-8859-1 is read as its superset windows-1252). */
class SingleByteDecoder implements ByteDecoder {
  readonly invalidBytes = 0;
  private readonly decoder: ReturnType<typeof iconv.getDecoder>;

  constructor(readonly encoding: string) {
    this.decoder = iconv.getDecoder(encoding === 'iso-8859-1' ? 'windows-1252' : encoding);
  }

  write(chunk: Buffer): string {
    return this.decoder.write(chunk);
  }

  end(): string {
    return this.decoder.end() ?? '';
  }
}

/** A decoder for a canonical encoding name (see canonicalEncoding). */
export function createByteDecoder(encoding: string): ByteDecoder {
  return encoding === 'utf-8' ? new Utf8Decoder() : new SingleByteDecoder(encoding);
}
