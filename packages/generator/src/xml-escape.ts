/**
 * How text is written into AAF files. Production files are pure ASCII with numeric character
 * references (`&#201;`); the quirks add raw UTF-8, ISO-8859-15 and HTML named entities.
 */
export type TextMode = 'ncr' | 'raw' | 'html';

const SPECIAL = /[&<>"'\u0080-\uffff]/;

const HTML_NAMES: Readonly<Record<number, string>> = {
  0xc0: 'Agrave',
  0xc2: 'Acirc',
  0xc4: 'Auml',
  0xc6: 'AElig',
  0xc7: 'Ccedil',
  0xc8: 'Egrave',
  0xc9: 'Eacute',
  0xca: 'Ecirc',
  0xcb: 'Euml',
  0xce: 'Icirc',
  0xcf: 'Iuml',
  0xd4: 'Ocirc',
  0xd6: 'Ouml',
  0xd9: 'Ugrave',
  0xdb: 'Ucirc',
  0xdc: 'Uuml',
  0x152: 'OElig',
  0x178: 'Yuml',
  0xe0: 'agrave',
  0xe2: 'acirc',
  0xe7: 'ccedil',
  0xe8: 'egrave',
  0xe9: 'eacute',
  0xea: 'ecirc',
  0xeb: 'euml',
  0xee: 'icirc',
  0xef: 'iuml',
  0xf4: 'ocirc',
  0xf9: 'ugrave',
  0xfb: 'ucirc',
  0xfc: 'uuml',
  0x153: 'oelig',
  0xe6: 'aelig',
};

/** Every HTML named entity the quirks may write, name → character (for readers and tests). */
export const HTML_ENTITIES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(HTML_NAMES).map(([code, name]) => [name, String.fromCodePoint(Number(code))]),
);

/** Escapes a text value for an element body in the given mode. */
export function escapeText(value: string, mode: TextMode = 'ncr'): string {
  if (!SPECIAL.test(value)) return value;
  let out = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === "'") out += '&apos;';
    else if (ch === '"') out += '&quot;';
    else if (cp < 0x80 || mode === 'raw') out += ch;
    else if (mode === 'html' && HTML_NAMES[cp]) out += `&${HTML_NAMES[cp]};`;
    else out += `&#${cp};`;
  }
  return out;
}

// ISO-8859-15 differs from ISO-8859-1 at eight code points.
const LATIN9_EXTRA: Readonly<Record<number, number>> = {
  0x20ac: 0xa4,
  0x160: 0xa6,
  0x161: 0xa8,
  0x17d: 0xb4,
  0x17e: 0xb8,
  0x152: 0xbc,
  0x153: 0xbd,
  0x178: 0xbe,
};
const LATIN9_HOLES = new Set([0xa4, 0xa6, 0xa8, 0xb4, 0xb8, 0xbc, 0xbd, 0xbe]);

/**
 * Encodes text (already XML-escaped in `raw` mode) as ISO-8859-15 bytes; characters outside the
 * charset become numeric character references, as a producer would write them.
 */
export function encodeLatin9(text: string): Buffer {
  const bytes: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const mapped = LATIN9_EXTRA[cp];
    if (mapped !== undefined) bytes.push(mapped);
    else if (cp < 0x100 && !LATIN9_HOLES.has(cp)) bytes.push(cp);
    else for (const c of `&#${cp};`) bytes.push(c.charCodeAt(0));
  }
  return Buffer.from(bytes);
}

/** Lower-case ASCII for e-mail local parts: accents and ligatures folded, the rest dropped. */
export function asciiFold(value: string): string {
  return value
    .replace(/Œ/g, 'OE')
    .replace(/œ/g, 'oe')
    .replace(/Æ/g, 'AE')
    .replace(/æ/g, 'ae')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '');
}
