import { CALENDAR_TARGET_KINDS, CalendarErrors } from '@aaf-sync/calendar';
import { TARGET_KINDS } from '@aaf-sync/targets';
import t from 'tap';
import { parseCalendarWhen } from '../../src/lib/calendar-when.js';

t.test('the calendar knows every target kind (plus ent, the API pull consumers)', async (t) => {
  for (const kind of TARGET_KINDS) t.ok(CALENDAR_TARGET_KINDS.includes(kind), kind);
  t.same(
    CALENDAR_TARGET_KINDS.filter((k) => !(TARGET_KINDS as readonly string[]).includes(k)),
    ['ent'],
  );
  t.ok(CalendarErrors.INVALID_DOCUMENT.code.startsWith('CALENDAR_ERR_'));
});

t.test('times given to the calendar routes', async (t) => {
  const now = new Date('2025-08-27T08:00:00Z');
  const tz = 'Europe/Paris';
  t.same(parseCalendarWhen('now', 'end', tz, now), now);
  t.same(parseCalendarWhen('2025-08-28T08:00', 'end', tz, now), new Date('2025-08-28T06:00:00Z'));
  t.same(parseCalendarWhen('2025-08-28', 'end', tz, now), new Date('2025-08-27T22:00:00Z'));
  t.same(
    parseCalendarWhen('2025-08-28T08:00:00+02:00', 'end', tz, now),
    new Date('2025-08-28T06:00:00Z'),
  );
  t.same(
    parseCalendarWhen('2025-08-28T06:00:00.000Z', 'end', tz, now),
    new Date('2025-08-28T06:00:00Z'),
  );
  for (const bad of ['tomorrow', '2025-08-28T08:00:00', '2025-02-30', '28/08/2025']) {
    t.throws(() => parseCalendarWhen(bad, 'end', tz, now), { code: 'API_ERR_VALIDATION' }, bad);
  }
});
