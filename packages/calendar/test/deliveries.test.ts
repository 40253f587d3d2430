import t from 'tap';
import { expectedDeliveries, isDeliveryMissing, missingDeliveries } from '../src/index.js';
import { example, paris } from './example.js';

const doc = example();

t.test('a school week: deltas Monday to Thursday, the complete on Saturday', async (t) => {
  const week = expectedDeliveries(doc, paris('2025-09-08'), paris('2025-09-14T23:00'));
  t.same(
    week.map((e) => `${e.kind} ${e.date} due ${e.deadline.toISOString()}`),
    [
      'delta 2025-09-08 due 2025-09-09T05:00:00.000Z',
      'delta 2025-09-09 due 2025-09-10T05:00:00.000Z',
      'delta 2025-09-10 due 2025-09-11T05:00:00.000Z',
      'delta 2025-09-11 due 2025-09-12T05:00:00.000Z',
      'complete 2025-09-13 due 2025-09-15T05:00:00.000Z',
    ],
    'each integrated the next morning; the complete of Saturday by Monday morning',
  );
});

t.test('public holidays and the summer expect nothing', async (t) => {
  const nov = expectedDeliveries(doc, paris('2025-10-27'), paris('2025-11-16')).map((e) => e.date);
  t.notOk(nov.includes('2025-11-01'), 'no complete on Saturday 1 November (All Saints)');
  t.notOk(nov.includes('2025-11-11'), 'no delta on Tuesday 11 November');
  t.ok(nov.includes('2025-11-10') && nov.includes('2025-11-08'));
  t.same(
    expectedDeliveries(doc, paris('2025-07-04'), paris('2025-08-19T23:00')),
    [],
    'nothing during the summer suspension',
  );
  t.same(
    expectedDeliveries(doc, paris('2025-08-20'), paris('2025-08-23')).map((e) => e.date),
    ['2025-08-20', '2025-08-21', '2025-08-23'],
    'expected again from the resumption',
  );
  const atWinterTime = expectedDeliveries(doc, paris('2025-10-27'), paris('2025-10-27'))[0]!;
  t.equal(atWinterTime.deadline.toISOString(), '2025-10-28T06:00:00.000Z', '07:00 in winter time');
});

t.test('a file is missing only after its deadline, and counts once', async (t) => {
  const received = [
    { kind: 'delta' as const, date: '2025-09-08' },
    { kind: 'delta' as const, date: '2025-09-08' },
    { kind: 'delta' as const, date: '2025-09-10' },
    { kind: 'delta' as const, date: '2025-07-15' },
  ];
  t.notOk(
    isDeliveryMissing(doc, '2025-09-09', received, paris('2025-09-10T06:59')),
    'before 07:00',
  );
  t.ok(isDeliveryMissing(doc, '2025-09-09', received, paris('2025-09-10T07:00')), 'at 07:00');
  t.notOk(isDeliveryMissing(doc, '2025-09-08', received, paris('2025-09-20')), 'received');
  t.notOk(
    isDeliveryMissing(doc, '2025-09-12', received, paris('2025-09-20')),
    'nothing expected on Fridays',
  );
  const missing = missingDeliveries(doc, received, paris('2025-09-15T07:00'), paris('2025-09-08'));
  t.same(
    missing.map((e) => `${e.kind} ${e.date}`),
    ['delta 2025-09-09', 'delta 2025-09-11', 'complete 2025-09-13'],
  );
  t.same(
    missingDeliveries(doc, received, paris('2025-09-15T06:59'), paris('2025-09-08')).length,
    2,
    "Saturday's complete is not late before Monday 07:00",
  );
});
