import { execFileSync } from 'node:child_process';
import t from 'tap';
import { sshaHash, sshaVerify } from '../src/index.js';

t.test('our {SSHA} has the form slappasswd produces, and verifies', async (t) => {
  const salt = Buffer.from('0102030405060708', 'hex');
  const hash = sshaHash('Zx7#kPq9$mWr', salt);
  t.match(hash, /^\{SSHA\}[A-Za-z0-9+/]+=*$/);
  const raw = Buffer.from(hash.slice(6), 'base64');
  t.equal(raw.length, 28, 'sha1 (20 bytes) then the salt (8 bytes)');
  t.same(raw.subarray(20), salt);
  t.ok(sshaVerify('Zx7#kPq9$mWr', hash));
  t.notOk(sshaVerify('Zx7#kPq9$mWR', hash), 'one character off fails');
  t.notOk(sshaVerify('Zx7#kPq9$mWr', '{SHA}abc'), 'another scheme is not ours');
  t.not(sshaHash('same'), sshaHash('same'), 'a fresh salt each time');
});

t.test('hashes made by slappasswd verify with sshaVerify', async (t) => {
  // slappasswd comes with the slapd of scripts/services.
  const hash = execFileSync('slappasswd', ['-h', '{SSHA}', '-s', 'Ab3$Ab3$Ab3$'], {
    encoding: 'utf8',
  }).trim();
  t.ok(sshaVerify('Ab3$Ab3$Ab3$', hash), hash);
  t.notOk(sshaVerify('Ab3$Ab3$Ab3%', hash));
});
