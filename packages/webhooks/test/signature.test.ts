import { createHmac } from 'node:crypto';
import t from 'tap';
import {
  createBackoff,
  generateSecret,
  isSecret,
  RETRY_SCHEDULE_SECONDS,
  sign,
  verify,
  WebhooksErrors,
} from '../src/index.js';
import { independentVerify } from './receiver.js';

t.test('sign and verify follow Standard Webhooks', async (t) => {
  const secret = generateSecret();
  t.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/, 'whsec_ + 32 bytes in base64');
  t.ok(isSecret(secret));
  t.notOk(isSecret('whsec_short'));
  t.notOk(isSecret('no-prefix-at-all-but-long-enough-aaaaaaaaaaaaaaa'));
  const body = JSON.stringify({ type: 'account.updated', data: { id: 'é-1' } });
  const ts = 1_700_000_000;
  const h = sign([secret], 'msg_1', ts, body);
  // The signature is the base64 HMAC-SHA256 of id.timestamp.body under the decoded key.
  const key = Buffer.from(secret.slice(6), 'base64');
  const expected = createHmac('sha256', key).update(`msg_1.${ts}.${body}`).digest('base64');
  t.equal(h['webhook-signature'], `v1,${expected}`);
  t.equal(h['webhook-timestamp'], String(ts));
  t.ok(independentVerify(secret, { ...h }, body), 'an independent implementation agrees');
  t.same(verify(secret, { ...h }, body, { now: ts * 1000 }), { id: 'msg_1', timestamp: ts });
  t.same(
    verify([generateSecret(), secret], { ...h }, Buffer.from(body), { now: ts * 1000 }).id,
    'msg_1',
  );

  t.throws(
    () => verify(secret, { ...h }, `${body} `, { now: ts * 1000 }),
    {
      code: WebhooksErrors.SIGNATURE.code,
    },
    'a changed body is refused',
  );
  t.throws(
    () => verify(generateSecret(), { ...h }, body, { now: ts * 1000 }),
    {
      code: WebhooksErrors.SIGNATURE.code,
    },
    'another secret is refused',
  );
  t.throws(
    () => verify(secret, { ...h }, body, { now: (ts + 301) * 1000 }),
    {
      code: WebhooksErrors.TIMESTAMP.code,
    },
    'an old timestamp is refused',
  );
  t.throws(
    () => verify(secret, { ...h }, body, { now: (ts - 301) * 1000 }),
    {
      code: WebhooksErrors.TIMESTAMP.code,
    },
    'a future timestamp is refused',
  );
  t.ok(verify(secret, { ...h }, body, { now: (ts + 600) * 1000, toleranceSeconds: 900 }));
  t.throws(
    () => verify(secret, { 'webhook-id': 'x' }, body),
    {
      code: WebhooksErrors.SIGNATURE.code,
    },
    'missing headers are refused',
  );
  const forged = { ...h, 'webhook-signature': `v2,${expected} v1,AAAA` };
  t.throws(
    () => verify(secret, forged, body, { now: ts * 1000 }),
    {
      code: WebhooksErrors.SIGNATURE.code,
    },
    'only v1 entries count',
  );
});

t.test('during a rotation both secrets sign; either verifies', async (t) => {
  const oldS = generateSecret();
  const newS = generateSecret();
  const h = sign([newS, oldS], 'msg_2', 1_700_000_000, '{}');
  const entries = h['webhook-signature'].split(' ');
  t.equal(entries.length, 2);
  t.ok(entries.every((e) => e.startsWith('v1,')));
  for (const s of [oldS, newS]) {
    t.ok(independentVerify(s, { ...h }, '{}'));
    t.ok(verify(s, { ...h }, '{}', { now: 1_700_000_000_000 }));
  }
});

t.test('the retry schedule spans about three days, with bounded jitter', async (t) => {
  const total = RETRY_SCHEDULE_SECONDS.reduce((a, b) => a + b, 0);
  t.ok(total > 2.8 * 86_400 && total < 3.2 * 86_400, `total ${(total / 3600).toFixed(1)} h`);
  const low = createBackoff(RETRY_SCHEDULE_SECONDS, 0.2, () => 0);
  const high = createBackoff(RETRY_SCHEDULE_SECONDS, 0.2, () => 0.999_999);
  t.equal(low.delayAfter(1), 4_000, '5 s −20 %');
  t.ok((high.delayAfter(1) ?? 0) > 5_999 && (high.delayAfter(1) ?? 0) <= 6_000, '5 s +20 %');
  t.equal(low.delayAfter(RETRY_SCHEDULE_SECONDS.length + 1), null, 'then a dead letter');
  const delays = RETRY_SCHEDULE_SECONDS.map((_, i) => createBackoff().delayAfter(i + 1) ?? 0);
  for (let i = 1; i < 5; i++) t.ok((delays[i] ?? 0) > (delays[i - 1] ?? 0), 'grows');
});
