import t from 'tap';
import { authFailureLimiter, memoryFailureStore } from '../../src/auth/failure-limiter.js';

t.test('the in-memory window opens at the first failure and ends with its clock', async (t) => {
  let now = 1_000_000;
  const limiter = authFailureLimiter({
    store: memoryFailureStore(() => now),
    max: 2,
    windowMs: 60_000,
  });
  t.equal(await limiter.blocked('1.2.3.4', null), null);
  await limiter.record('1.2.3.4', 'k1');
  now += 10_000;
  t.equal(await limiter.blocked('1.2.3.4', null), null, 'one failure: not yet');
  await limiter.record('5.6.7.8', 'k1');
  t.same(await limiter.blocked('1.2.3.4', null), null, 'the address has one failure');
  t.same(await limiter.blocked('9.9.9.9', 'k1'), { by: 'key', retryAfterSeconds: 50 });
  await limiter.record('1.2.3.4', null);
  t.same(await limiter.blocked('1.2.3.4', 'k2'), { by: 'ip', retryAfterSeconds: 50 });
  now += 49_999;
  t.ok(await limiter.blocked('1.2.3.4', null), 'still inside the window');
  now += 1;
  t.equal(await limiter.blocked('1.2.3.4', 'k1'), null, 'the window is over');
  await limiter.record('1.2.3.4', null);
  t.equal(await limiter.blocked('1.2.3.4', null), null, 'a new window counts from zero');
});
