/** What the first bytes of a file say about its encoding. */
export interface EncodingSniff {
  /** Bytes to skip (a UTF-8 byte-order mark). */
  readonly skip: number;
  /** `utf-8` for a UTF-8 BOM, `utf-16le`/`utf-16be` for UTF-16 BOMs, else null. */
  readonly bom: string | null;
  /** The `encoding="…"` of the XML declaration, as written, or null. */
  readonly declared: string | null;
}

const MAX_DECLARATION = 1024;
const XML_DECL = Buffer.from('<?xml');

function bomOf(head: Buffer): { bom: string | null; skip: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { bom: 'utf-8', skip: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { bom: 'utf-16le', skip: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { bom: 'utf-16be', skip: 2 };
  return { bom: null, skip: 0 };
}

/**
 * True when `head` holds enough bytes to read the XML declaration: its `?>`, or proof that
 * there is none, or the size limit. The reader accumulates the first chunks until then.
 */
export function declarationComplete(head: Buffer): boolean {
  if (head.length >= MAX_DECLARATION) return true;
  const { skip } = bomOf(head);
  const body = head.subarray(skip);
  const n = Math.min(body.length, XML_DECL.length);
  if (!body.subarray(0, n).equals(XML_DECL.subarray(0, n))) return true;
  return body.length >= XML_DECL.length && body.includes('?>');
}

/** Reads the BOM and the declared encoding from the first bytes of a file. */
export function sniffEncoding(head: Buffer): EncodingSniff {
  const { bom, skip } = bomOf(head);
  if (bom !== null && bom !== 'utf-8') return { bom, skip, declared: null };
  const body = head.subarray(skip, skip + MAX_DECLARATION);
  if (!body.subarray(0, XML_DECL.length).equals(XML_DECL)) return { bom, skip, declared: null };
  const end = body.indexOf('?>');
  const decl = body.toString('latin1', 0, end < 0 ? body.length : end);
  const match = /\sencoding\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(decl);
  return { bom, skip, declared: match ? (match[1] ?? match[2] ?? null) : null };
}
