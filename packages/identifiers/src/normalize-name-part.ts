import anyAscii from 'any-ascii';

/**
 * Letters that Unicode decomposition leaves whole (they are letters of their own, not a base
 * letter plus a mark), mapped explicitly so that the result never depends on the
 * transliteration library for Latin names. Keys are lowercase: the input is lowercased first.
 */
export const LETTER_MAP: Readonly<Record<string, string>> = {
  œ: 'oe',
  æ: 'ae',
  ß: 'ss',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ħ: 'h',
  ı: 'i',
  ĸ: 'k',
  ŀ: 'l',
  ŋ: 'ng',
  ŧ: 't',
  ſ: 's',
  ƒ: 'f',
  ɖ: 'd',
  ɛ: 'e',
  ɔ: 'o',
  ʒ: 'z',
};

/** Longest input considered: names are short; this bounds the work done on hostile input. */
const MAX_INPUT = 500;

const LATIN_MARKS = /(?<=\p{Script=Latin})\p{M}+/gu;
const NON_ASCII = /[^\p{ASCII}]/gu;
const HAS_NON_ASCII = /[^\p{ASCII}]/u;
const NOT_LETTER = /[^\p{L}\p{M}]+/gu;
const NOT_A_TO_Z = /[^a-z]+/g;

/**
 * Turns one name (a surname or given names) into the lowercase ASCII letters logins are made
 * of: `'Jean-Pierre'` → `'jeanpierre'`, `"D'Arc"` → `'darc'`, `'de la Fontaine'` →
 * `'delafontaine'`, `'Cœur'` → `'coeur'`, `'Ольга'` → `'olga'`. Digits, spaces, apostrophes,
 * hyphens and every other non-letter are dropped and the parts glued. May return `''` (a name
 * made only of digits or symbols); `identifierBase` applies the fallback.
 *
 * Steps: compatibility decomposition (NFKD: accents split off, ligatures like `ﬁ` and
 * full-width letters unfolded), marks on Latin letters removed, recomposition (so non-Latin
 * syllables keep their marks for transliteration), lowercase, the explicit `LETTER_MAP`,
 * non-letters removed, remaining non-ASCII letters transliterated by `any-ascii`, then only
 * `a-z` kept.
 */
export function normalizeNamePart(value: string): string {
  let s = value.slice(0, MAX_INPUT).normalize('NFKD').replace(LATIN_MARKS, '');
  s = s.normalize('NFC').toLowerCase();
  s = s.replace(NON_ASCII, (c) => LETTER_MAP[c] ?? c).replace(NOT_LETTER, '');
  if (HAS_NON_ASCII.test(s)) s = anyAscii(s).toLowerCase();
  return s.replace(NOT_A_TO_Z, '');
}
