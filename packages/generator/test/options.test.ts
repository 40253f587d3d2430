import t from 'tap';
import { GeneratorErrors, isValidUai, parseGenerateOptions, uaiFromNumber } from '../src/index.js';
import { followingWeekDays } from '../src/calendar.js';

t.test('defaults are filled', async (t) => {
  t.same(parseGenerateOptions({ out: 'x', seed: 1, persons: 100 }), {
    out: 'x',
    seed: 1,
    persons: 100,
    deltas: 0,
    level: '2d',
    scope: 'TEST',
    date: '2024-09-07',
    quirks: false,
    chunkSize: 50000,
    archive: false,
  });
});

t.test('every bad option is named in one GEN_ERR_INVALID_OPTIONS', async (t) => {
  const err = t.throws(() =>
    parseGenerateOptions({
      out: '',
      seed: -1,
      persons: 10,
      level: '3d',
      date: '2024-02-30',
      extra: 1,
    }),
  );
  t.ok(GeneratorErrors.INVALID_OPTIONS.is(err));
  for (const name of ['out', 'seed', 'persons', 'level', 'date'])
    t.match((err as Error).message, name);
  t.match((err as Error).message, /extra/);
});

t.test('UAI check letters follow the mod-23 rule', async (t) => {
  t.equal(uaiFromNumber(690076), '0690076H', 'a real UAI');
  t.equal(uaiFromNumber(990001), '0990001N');
  t.equal(uaiFromNumber(990002), '0990002P');
  t.ok(isValidUai('0990001N'));
  t.notOk(isValidUai('0990001A'));
});

t.test('Delta days skip the week-end', async (t) => {
  t.same(followingWeekDays('2024-09-07', 6), [
    '2024-09-09',
    '2024-09-10',
    '2024-09-11',
    '2024-09-12',
    '2024-09-13',
    '2024-09-16',
  ]);
});
