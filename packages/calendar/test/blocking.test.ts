import t, { type Test } from 'tap';
import type { ErrorFactory } from '@aaf-sync/errors';
import {
  blockingState,
  CalendarErrors,
  parseCalendarDocument,
  validateBlockingOverride,
} from '../src/index.js';
import { example, exampleJson, paris } from './example.js';

const doc = example();

function refused(t: Test, factory: ErrorFactory, fn: () => unknown) {
  t.throws(fn, { code: factory.code }, factory.code);
}

t.test(
  'pupils and relatives are blocked from 20 August to 2 September 07:00; staff never',
  async (t) => {
    t.notOk(blockingState(doc, 'pupil', paris('2025-08-19T23:59')).blocked);
    const s = blockingState(doc, 'relative', paris('2025-08-20'));
    t.ok(s.blocked);
    t.same(s.until, paris('2025-09-02T07:00'));
    t.match(s.why, /indisponible/);
    t.equal(s.source, 'calendar');
    t.notOk(blockingState(doc, 'pupil', paris('2025-09-02T07:00')).blocked, 'reopened at 07:00');
    const teacher = blockingState(doc, 'teacher', paris('2025-08-25'));
    t.notOk(teacher.blocked);
    t.equal(teacher.rule, null);
  },
);

t.test("a principal's override within the limits applies to the establishment", async (t) => {
  const early = validateBlockingOverride(doc, {
    end: paris('2025-08-28T08:00'),
    message: ' Ouvert ',
  });
  t.equal(early.message, 'Ouvert', 'message trimmed');
  t.ok(blockingState(doc, 'pupil', paris('2025-08-28T07:59'), early).blocked);
  const after = blockingState(doc, 'pupil', paris('2025-08-28T08:00'), early);
  t.notOk(after.blocked, 'lifted early');
  t.equal(after.source, 'establishment');
  const longer = validateBlockingOverride(doc, { end: paris('2025-09-05T18:00') });
  t.ok(blockingState(doc, 'pupil', paris('2025-09-04'), longer).blocked, 'extended to the limit');
  const later = validateBlockingOverride(doc, { start: paris('2025-08-25') });
  t.notOk(
    blockingState(doc, 'pupil', paris('2025-08-22'), later).blocked,
    'shortened at the start',
  );
});

t.test('overrides outside the limits are refused with their own codes', async (t) => {
  refused(t, CalendarErrors.BLOCKING_END_TOO_LATE, () =>
    validateBlockingOverride(doc, { end: paris('2025-09-05T18:01') }),
  );
  refused(t, CalendarErrors.BLOCKING_END_TOO_EARLY, () =>
    validateBlockingOverride(doc, { end: paris('2025-08-24T23:00') }),
  );
  refused(t, CalendarErrors.BLOCKING_START_OUTSIDE_LIMITS, () =>
    validateBlockingOverride(doc, { start: paris('2025-08-19') }),
  );
  refused(t, CalendarErrors.BLOCKING_START_AFTER_END, () =>
    validateBlockingOverride(doc, { start: paris('2025-08-28'), end: paris('2025-08-26') }),
  );
  refused(t, CalendarErrors.OVERRIDE_EMPTY, () => validateBlockingOverride(doc, { message: '  ' }));
  refused(t, CalendarErrors.MESSAGE_TOO_LONG, () =>
    validateBlockingOverride(doc, { message: 'x'.repeat(1001) }),
  );
  const locked = exampleJson();
  locked.rentreeBlocking.rules[0].limits.messageChange = false;
  refused(t, CalendarErrors.MESSAGE_LOCKED, () =>
    validateBlockingOverride(parseCalendarDocument(locked), { message: 'Ouvert' }),
  );
  const none = exampleJson();
  none.rentreeBlocking.rules = [];
  refused(t, CalendarErrors.NO_BLOCKING, () =>
    validateBlockingOverride(parseCalendarDocument(none), { end: paris('2025-08-28') }),
  );
});

t.test('an override the document no longer allows is ignored, and says so', async (t) => {
  const override = validateBlockingOverride(doc, { end: paris('2025-08-26') });
  const stricter = exampleJson();
  stricter.rentreeBlocking.rules[0].limits.earliestEnd = '2025-08-30T00:00';
  const s = blockingState(parseCalendarDocument(stricter), 'pupil', paris('2025-08-27'), override);
  t.ok(s.blocked);
  t.ok(s.overrideIgnored);
  t.equal(s.source, 'calendar');
});
