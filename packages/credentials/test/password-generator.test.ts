import t from 'tap';
import {
  generatePassword,
  MIN_PASSWORD_LENGTH,
  PASSWORD_CLASSES,
  passwordClasses,
} from '../src/index.js';

const ALPHABET = Object.values(PASSWORD_CLASSES).join('');
const AMBIGUOUS = ['0', 'O', 'o', '1', 'l', 'I', 'i'];

t.test('every draw follows the rules (property over 20,000 draws)', async (t) => {
  const seen = new Set<string>();
  const counts = new Map<string, number>();
  let failures = 0;
  for (let n = 0; n < 20_000; n += 1) {
    const p = generatePassword();
    const ok =
      p.length === MIN_PASSWORD_LENGTH &&
      passwordClasses(p).length >= 3 &&
      [...p].every((ch) => ALPHABET.includes(ch)) &&
      !AMBIGUOUS.some((a) => p.includes(a)) &&
      !/^[=+\-@]/.test(p);
    if (!ok) {
      failures += 1;
      t.fail(`bad password drawn: ${p}`);
    }
    seen.add(p);
    for (const ch of p) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  t.equal(failures, 0, 'no draw breaks a rule');
  t.equal(seen.size, 20_000, 'no repeat in 20,000 draws');
  t.same([...counts.keys()].sort(), [...ALPHABET].sort(), 'every character of the alphabet occurs');
  // 240,000 characters over 62 symbols: about 3,870 each; a biased draw would stray far.
  const expected = (20_000 * MIN_PASSWORD_LENGTH) / ALPHABET.length;
  for (const [ch, c] of counts) {
    if (Math.abs(c - expected) > expected * 0.2) t.fail(`character ${ch} drawn ${c} times`);
  }
});

t.test('the alphabet has no look-alikes and four classes', async (t) => {
  for (const a of AMBIGUOUS) t.notOk(ALPHABET.includes(a), `${a} is not in the alphabet`);
  t.same(Object.keys(PASSWORD_CLASSES), ['lower', 'upper', 'digit', 'symbol']);
  t.same(passwordClasses('abcDEF234!#$'), ['lower', 'upper', 'digit', 'symbol']);
  t.same(passwordClasses('abcdefghjkmn'), ['lower']);
});

t.test('longer passwords on request; shorter than 12 refused', async (t) => {
  const p = generatePassword(20);
  t.equal(p.length, 20);
  t.ok(passwordClasses(p).length >= 3);
  t.throws(() => generatePassword(11), RangeError);
  t.throws(() => generatePassword(12.5), RangeError);
});
