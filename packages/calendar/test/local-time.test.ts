import t from 'tap';
import { addDays, localDateOf, localToInstant, localWhenOf, weekdayOf } from '../src/index.js';

t.test('local times of Paris become instants across both daylight-saving changes', async (t) => {
  const tz = 'Europe/Paris';
  t.equal(localToInstant('2025-08-20', tz).toISOString(), '2025-08-19T22:00:00.000Z');
  t.equal(localToInstant('2025-12-01T07:00', tz).toISOString(), '2025-12-01T06:00:00.000Z');
  t.equal(
    localToInstant('2025-10-26T02:30', tz).toISOString(),
    '2025-10-26T00:30:00.000Z',
    'ambiguous autumn time: the first occurrence',
  );
  t.equal(
    localToInstant('2026-03-29T02:30', tz).toISOString(),
    '2026-03-29T01:30:00.000Z',
    'spring gap: just after it (03:30 local)',
  );
  t.equal(localWhenOf(new Date('2025-09-02T05:00:00Z'), tz), '2025-09-02T07:00');
  t.equal(localDateOf(new Date('2025-08-19T22:30:00Z'), tz), '2025-08-20');
  t.equal(
    localToInstant('2025-08-20', 'America/Cayenne').toISOString(),
    '2025-08-20T03:00:00.000Z',
  );
});

t.test('date arithmetic and weekdays', async (t) => {
  t.equal(addDays('2025-08-29', 4), '2025-09-02');
  t.equal(addDays('2026-01-01', -1), '2025-12-31');
  t.equal(weekdayOf('2025-08-29'), 'fri');
  t.equal(weekdayOf('2025-08-20'), 'wed');
  t.equal(weekdayOf('2025-11-01'), 'sat');
});
