import t from 'tap';
import { LETTER_MAP, normalizeNamePart } from '../src/index.js';

// Each expected value follows from the rules, not from running the code: accents dropped,
// explicit letters mapped (œ→oe, æ→ae, ß→ss, ø→o, ł→l, đ→d, þ→th), apostrophes, hyphens and
// spaces removed with the parts glued, digits and symbols dropped, lowercase a-z only.
const LATIN: readonly [string, string, string][] = [
  ['accents', 'Éloïse Hélène', 'eloisehelene'],
  ['cedilla and circumflex', 'François Bâcle', 'francoisbacle'],
  ['ligature œ', 'Cœur', 'coeur'],
  ['ligature æ (capital)', 'Ænéas', 'aeneas'],
  ['sharp s', 'Straße', 'strasse'],
  ['o with stroke', 'Øster', 'oster'],
  ['l with stroke', 'Łukasz', 'lukasz'],
  ['d with stroke', 'Đorđe', 'dorde'],
  ['thorn', 'Þór', 'thor'],
  ['eth', 'Guðrún', 'gudrun'],
  ['dotless i and dotted capital I', 'Işıl İnce', 'isilince'],
  ['apostrophe', "D'Arc", 'darc'],
  ['apostrophe O', "O'Neil", 'oneil'],
  ['typographic apostrophe', 'O’Brien', 'obrien'],
  ['hyphenated given name', 'Jean-Pierre', 'jeanpierre'],
  ['hyphenated surname', 'Dupont-Martin', 'dupontmartin'],
  ['Unicode hyphen', 'Marie‐Claire', 'marieclaire'],
  ['particles', 'de la Fontaine', 'delafontaine'],
  ['Dutch particles', 'van der Berg', 'vanderberg'],
  ['Breton article', 'Le Goff', 'legoff'],
  ['umlauts in a long compound', 'Müller-Lüdenscheidt', 'mullerludenscheidt'],
  ['ligature ﬁ (compatibility decomposition)', 'ﬁlip', 'filip'],
  ['full-width letters', 'Ｊｅａｎ', 'jean'],
  ['digits dropped', 'Martin2', 'martin'],
  ['digits inside', 'Lou1s 14', 'lous'],
  ['symbols dropped', 'Ana_María (née) @home!', 'anamarianeehome'],
  ['one letter', 'Y', 'y'],
  ['underscore dropped (ENT NG keeps it)', 'Jean_Paul', 'jeanpaul'],
];

// Non-Latin scripts go through any-ascii (letter-by-letter romanisation tables).
const OTHER_SCRIPTS: readonly [string, string, string][] = [
  // Cyrillic: the soft sign ь becomes an apostrophe in any-ascii, which is then dropped.
  ['Cyrillic given name', 'Ольга', 'olga'],
  ['Cyrillic surname', 'Петрова', 'petrova'],
  ['Cyrillic short i keeps its letter (й → y)', 'Йосиф', 'yosif'],
  ['Greek with tonos', 'Γιώργος', 'giorgos'],
  // any-ascii maps υ to y letter by letter (not the ELOT digraph ου → ou).
  ['Greek surname', 'Παπαδόπουλος', 'papadopoylos'],
  ['Vietnamese (stacked diacritics)', 'Nguyễn Thị Minh Khai', 'nguyenthiminhkhai'],
  // Arabic script writes no short vowels: only consonants and long vowels come out.
  ['Arabic given name', 'محمد', 'mhmd'],
  ['Arabic with ʿayn (becomes a backquote, dropped)', 'بن علي', 'bnly'],
  ['transliterated Arabic with ʿ and apostrophes', 'ʿAbd al-Raḥmān', 'abdalrahman'],
  ['transliterated Arabic with an apostrophe', "Al-Ma'mūn", 'almamun'],
  ['Japanese kana keep their voicing mark (が → ga)', 'がく', 'gaku'],
];

// Names with no letter at all normalise to nothing (identifierBase applies the fallback).
const NOTHING = ['', '   ', '123', "'-'", '🙂🙂', '(2)', '\u0301'];

t.test('Latin names: accents, ligatures, apostrophes, hyphens, particles', async (t) => {
  for (const [what, input, expected] of LATIN) t.equal(normalizeNamePart(input), expected, what);
});

t.test('non-Latin scripts are transliterated to ASCII letters', async (t) => {
  for (const [what, input, expected] of OTHER_SCRIPTS) {
    t.equal(normalizeNamePart(input), expected, what);
  }
});

t.test('names without letters normalise to the empty string', async (t) => {
  for (const input of NOTHING) t.equal(normalizeNamePart(input), '', JSON.stringify(input));
});

t.test('every explicit letter maps to lowercase ASCII letters and is applied', async (t) => {
  for (const [letter, ascii] of Object.entries(LETTER_MAP)) {
    t.match(ascii, /^[a-z]+$/, letter);
    t.equal(normalizeNamePart(letter), ascii, `${letter} alone`);
    t.equal(normalizeNamePart(letter.toUpperCase()), ascii, `${letter.toUpperCase()} (capital)`);
  }
});

t.test('a 40-character name is kept whole (truncation belongs to the namespace)', async (t) => {
  const name = 'Montmorency-Laval de Saint-Rémy-Beauvais'; // 40 characters
  t.equal(name.length, 40);
  t.equal(normalizeNamePart(name), 'montmorencylavaldesaintremybeauvais');
});
