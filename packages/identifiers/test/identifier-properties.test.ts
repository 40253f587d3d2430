import fc from 'fast-check';
import t from 'tap';
import {
  formatIdentifier,
  identifierBase,
  identifierProblem,
  namespaceRules,
  normalizeNamePart,
  type NamespaceRule,
} from '../src/index.js';

// Names mixing everything the normaliser must survive: any Unicode, French letters, ligatures,
// separators, digits and other scripts.
const hardPieces = fc.constantFrom(
  'é',
  'Œ',
  'æ',
  'ß',
  'Ø',
  'ł',
  'Đ',
  'Þ',
  "'",
  '’',
  '-',
  ' ',
  '.',
  '_',
  '1',
  '9',
  'de la ',
  'Ж',
  'Ω',
  'ễ',
  'ع',
  '王',
  '🙂',
  '\u0301',
  'ﬁ',
  'Ｊ',
  'ı',
  'İ',
);
const name = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.array(hardPieces, { maxLength: 20 }).map((parts) => parts.join('')),
  fc.string({ maxLength: 60 }),
);
const rule: fc.Arbitrary<NamespaceRule> = fc
  .tuple(fc.constantFrom('educonnect', 'scribe', 'koxo'), fc.integer({ min: 0, max: 1000 }))
  .map(([ns, start]) => namespaceRules({ namespaces: [ns], numberStart: start })[0]!);
const index = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 10_000_000 }));

t.test('normalizeNamePart: lowercase a-z only, deterministic', async (t) => {
  fc.assert(
    fc.property(name, (value) => {
      const out = normalizeNamePart(value);
      return /^[a-z]*$/.test(out) && normalizeNamePart(value) === out;
    }),
    { numRuns: 2000 },
  );
  t.pass('2000 names checked');
});

t.test('identifiers match the namespace shape and length, never empty, no edge dot', async (t) => {
  fc.assert(
    fc.property(rule, name, name, index, (r, given, sn, k) => {
      const value = formatIdentifier(r, identifierBase(r, given, sn), k);
      const again = formatIdentifier(r, identifierBase(r, given, sn), k);
      const problem = identifierProblem(r, value);
      return (
        value === again &&
        value.length > 0 &&
        value.length <= r.maxLength &&
        r.pattern.test(value) &&
        !value.startsWith('.') &&
        !value.endsWith('.') &&
        (problem === null || problem === 'it is a reserved name') &&
        (r.format === 'p.nom' ? /^[a-z]\./.test(value) || k > 0 : !value.includes('.'))
      );
    }),
    { numRuns: 3000 },
  );
  t.pass('3000 identifiers checked');
});

t.test('two holders of one base never get the same value', async (t) => {
  fc.assert(
    fc.property(rule, name, name, index, index, (r, given, sn, a, b) => {
      fc.pre(a !== b);
      const base = identifierBase(r, given, sn);
      return formatIdentifier(r, base, a) !== formatIdentifier(r, base, b);
    }),
    { numRuns: 3000 },
  );
  t.pass('3000 pairs checked');
});
