import t from 'tap';
import {
  checkRule,
  FALLBACK_INITIAL,
  FALLBACK_NAME,
  IdentifierErrors,
  formatIdentifier,
  identifierBase,
  namespaceRules,
  ruleFor,
} from '../src/index.js';

const rules = namespaceRules({ namespaces: ['educonnect', 'scribe', 'koxo'], numberStart: 1 });
const [educonnect, scribe, koxo] = rules as [
  (typeof rules)[number],
  (typeof rules)[number],
  (typeof rules)[number],
];

t.test('namespace presets: formats and maximum lengths', async (t) => {
  t.same(
    rules.map((r) => [r.name, r.format, r.maxLength, r.numberStart]),
    [
      ['educonnect', 'p.nom', 32, 1],
      ['scribe', 'pnom', 19, 1],
      ['koxo', 'pnom', 20, 1],
    ],
  );
  t.ok(Object.isFrozen(koxo), 'rules are frozen');
  t.same(
    namespaceRules({ namespaces: ['koxo', 'koxo'], numberStart: 2 }).map((r) => r.name),
    ['koxo'],
    'duplicates are ignored',
  );
});

t.test('an unknown namespace is refused with the known names', async (t) => {
  t.throws(() => namespaceRules({ namespaces: ['educonnect', 'ent'], numberStart: 1 }), {
    code: IdentifierErrors.UNKNOWN_NAMESPACE.code,
    message: /"ent".*educonnect, scribe, koxo/,
  });
  t.throws(() => namespaceRules({ namespaces: ['toString'], numberStart: 1 }), {
    code: IdentifierErrors.UNKNOWN_NAMESPACE.code,
  });
  t.throws(() => ruleFor([scribe], 'koxo'), { code: IdentifierErrors.UNKNOWN_NAMESPACE.code });
  t.throws(() => namespaceRules({ namespaces: ['koxo'], numberStart: -1 }), {
    code: IdentifierErrors.INVALID_RULE.code,
  });
});

t.test('the bare form: initial of the first given name, dot for p.nom, surname', async (t) => {
  const cases: [string, string, string, string][] = [
    ['Jean-Pierre', "D'Arc", 'j.darc', 'jdarc'],
    ['Marie', 'de la Fontaine', 'm.delafontaine', 'mdelafontaine'],
    ['Éloïse', 'Le Goff', 'e.legoff', 'elegoff'],
    ['Ольга', 'Петрова', 'o.petrova', 'opetrova'],
    ['Γιώργος', 'Μαρκου', 'g.markoy', 'gmarkoy'],
    ['Jean Paul Marie', 'Martin', 'j.martin', 'jmartin'],
    ['42 Zoé', 'Martin', 'z.martin', 'zmartin'], // the first name with a letter
    ['A', 'B', 'a.b', 'ab'], // one-letter names
  ];
  for (const [given, sn, dotted, glued] of cases) {
    t.equal(identifierBase(educonnect, given, sn), dotted, `${given} ${sn} (p.nom)`);
    t.equal(identifierBase(scribe, given, sn), glued, `${given} ${sn} (pnom)`);
  }
});

t.test('names that normalise to nothing get the documented fallback', async (t) => {
  t.equal(FALLBACK_INITIAL, 'x');
  t.equal(FALLBACK_NAME, 'inconnu');
  t.equal(identifierBase(educonnect, '', 'Martin'), 'x.martin', 'empty first name');
  t.equal(identifierBase(koxo, '  ', 'Martin'), 'xmartin', 'blank first name');
  t.equal(identifierBase(educonnect, 'Jean', '123'), 'j.inconnu', 'surname of digits');
  t.equal(identifierBase(educonnect, '🙂', "'-'"), 'x.inconnu', 'both empty');
  t.equal(identifierBase(scribe, '', ''), 'xinconnu');
});

t.test('long names are truncated to the namespace maximum', async (t) => {
  const sn = 'Montmorency-Laval de Saint-Rémy-Beauvais'; // 40 characters
  // normalised: montmorencylavaldesaintremybeauvais (35 letters)
  t.equal(identifierBase(educonnect, 'Anne', sn), 'a.montmorencylavaldesaintremybea'); // 32
  t.equal(identifierBase(scribe, 'Anne', sn), 'amontmorencylavalde'); // 19
  t.equal(identifierBase(koxo, 'Anne', sn), 'amontmorencylavaldes'); // 20
});

t.test('numbering: index 0 is bare, index k carries numberStart + k - 1', async (t) => {
  t.equal(formatIdentifier(koxo, 'jmartin', 0), 'jmartin');
  t.equal(formatIdentifier(koxo, 'jmartin', 1), 'jmartin1');
  t.equal(formatIdentifier(koxo, 'jmartin', 2), 'jmartin2');
  t.equal(formatIdentifier(educonnect, 'j.martin', 12), 'j.martin12');
  const [fromTwo] = namespaceRules({ namespaces: ['educonnect'], numberStart: 2 });
  t.equal(formatIdentifier(fromTwo!, 'j.martin', 1), 'j.martin2', 'ENT NG style start at 2');
  const [fromZero] = namespaceRules({ namespaces: ['scribe'], numberStart: 0 });
  t.equal(formatIdentifier(fromZero!, 'jmartin', 1), 'jmartin0');
  t.throws(() => formatIdentifier(koxo, 'jmartin', -1), {
    code: IdentifierErrors.INVALID_RULE.code,
  });
  t.throws(() => formatIdentifier(koxo, 'jmartin', 1.5), {
    code: IdentifierErrors.INVALID_RULE.code,
  });
});

t.test('Active Directory limit: 20 characters with the number, the number whole', async (t) => {
  const base = identifierBase(koxo, 'Jean', 'Martin-Dupont-Lefebvre'); // 21 letters → 20
  t.equal(base, 'jmartindupontlefebvr');
  // Number n takes len(n) characters; the name part keeps the first 20 - len(n).
  const expected: [number, string][] = [
    [9, 'jmartindupontlefebv9'],
    [10, 'jmartindupontlefeb10'],
    [99, 'jmartindupontlefeb99'],
    [100, 'jmartindupontlefe100'],
    [999, 'jmartindupontlefe999'],
    [1000, 'jmartindupontlef1000'],
    [123456, 'jmartindupontl123456'],
  ];
  for (const [number, value] of expected) {
    const got = formatIdentifier(koxo, base, number); // numberStart 1: index = number
    t.equal(got, value, `number ${number}`);
    t.equal(got.length, 20);
    t.ok(got.endsWith(String(number)), 'the number is whole');
    t.ok(base.startsWith(got.slice(0, 20 - String(number).length)), 'the name part is a prefix');
  }
  const tiny = checkRule({ ...koxo, name: 'tiny', maxLength: 8 });
  t.equal(formatIdentifier(tiny, 'jmartin', 9_999_999), 'j9999999', 'one letter is left');
  t.throws(() => formatIdentifier(tiny, 'jmartin', 10_000_000), {
    code: IdentifierErrors.NUMBER_TOO_LONG.code,
  });
  t.throws(() => checkRule({ ...koxo, maxLength: 7 }), {
    code: IdentifierErrors.INVALID_RULE.code,
  });
});

t.test('a short name with a large number is not truncated', async (t) => {
  t.equal(formatIdentifier(koxo, 'jli', 1000), 'jli1000');
  t.equal(formatIdentifier(educonnect, 'j.li', 1000), 'j.li1000');
});
