import t from 'tap';
import { generateApiKey, hashSecret, parseApiKey, secretMatches } from '../src/index.js';

t.test('a generated key parses back to its id and a secret matching the stored hash', async (t) => {
  const key = generateApiKey();
  t.match(key.token, /^aafk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
  const parsed = parseApiKey(key.token)!;
  t.equal(parsed.id, key.id);
  t.ok(secretMatches(parsed.secret, key.secretSha256));
  t.notOk(secretMatches(`${parsed.secret.slice(0, -1)}x`, key.secretSha256));
  t.equal(hashSecret(parsed.secret).length, 32);
  t.not(generateApiKey().token, key.token, 'random');
});

t.test('anything else does not parse', async (t) => {
  for (const token of [
    '',
    'aafk_',
    'aafk_abc_def',
    `aafk_ABCDEFGH_${'a'.repeat(43)}`,
    `xxxx_abcdefgh_${'a'.repeat(43)}`,
    `aafk_abcdefgh_${'a'.repeat(44)}`,
  ]) {
    t.equal(parseApiKey(token), null, token);
  }
});
