import t from 'tap';
import {
  IdentifierErrors,
  assertValidIdentifier,
  identifierProblem,
  namespaceRules,
} from '../src/index.js';

const [educonnect, koxo] = namespaceRules({ namespaces: ['educonnect', 'koxo'], numberStart: 1 });

t.test('values an administrator may choose', async (t) => {
  for (const value of ['jmartin', 'j.martin', 'jean-pierre.martin', 'jp.martin2', 'a', 'x9']) {
    t.equal(identifierProblem(educonnect!, value), null, value);
  }
  t.equal(identifierProblem(koxo!, 'jmartindupontlefeb10'), null, '20 characters fit AD');
});

t.test('each broken rule is named in the reason', async (t) => {
  const cases: [string, RegExp][] = [
    ['', /empty/],
    ['jmartindupontlefebv10', /21 characters, the maximum is 20/],
    ['j:martin', /forbidden character ":"/],
    ['dom\\jmartin', /forbidden character "\\\\"/],
    ['j martin', /forbidden character " "/],
    ['jmartin@ac', /forbidden character "@"/],
    ['JMartin', /uppercase/],
    ['j_martin', /expected lowercase a-z and 0-9/],
    ['jérôme', /expected/],
    ['.jmartin', /expected/],
    ['jmartin.', /expected/],
    ['j..martin', /expected/],
    ['2jmartin', /expected/],
    ['administrator', /reserved/],
  ];
  for (const [value, reason] of cases) t.match(identifierProblem(koxo!, value), reason, value);
});

t.test('assertValidIdentifier throws the coded error with the reason', async (t) => {
  t.throws(() => assertValidIdentifier(koxo!, 'j:martin'), {
    code: IdentifierErrors.INVALID_VALUE.code,
    message: '"j:martin" is not a valid koxo identifier: it contains the forbidden character ":"',
  });
  t.doesNotThrow(() => assertValidIdentifier(koxo!, 'jmartin'));
});
