import t from 'tap';
import { AppError, defineErrors, isAppError, registeredErrors } from '../src/index.js';

const Demo = defineErrors('DEMOTEST', {
  NOT_FOUND: { status: 404, message: 'no {thing} with id {id}', description: 'test entry' },
  FLAKY: { status: 503, message: 'try later', description: 'test entry', retryable: true },
});

t.test('factories build AppErrors with stable codes and rendered messages', async (t) => {
  const err = Demo.NOT_FOUND({ thing: 'person', id: 42 });
  t.ok(err instanceof AppError);
  t.ok(isAppError(err));
  t.equal(err.code, 'DEMOTEST_ERR_NOT_FOUND');
  t.equal(err.status, 404);
  t.equal(err.retryable, false);
  t.equal(err.message, 'no person with id 42');
  t.same(err.details, { thing: 'person', id: 42 });
  t.ok(Demo.NOT_FOUND.is(err));
  t.notOk(Demo.FLAKY.is(err));
  t.equal(Demo.FLAKY().retryable, true);
});

t.test('unknown placeholders stay visible instead of vanishing', async (t) => {
  t.equal(Demo.NOT_FOUND({ thing: 'x' }).message, 'no x with id {id}');
});

t.test('the registry lists every declared code once', async (t) => {
  const codes = registeredErrors().map((e) => e.code);
  t.ok(codes.includes('DEMOTEST_ERR_NOT_FOUND'));
  t.equal(codes.filter((c) => c === 'DEMOTEST_ERR_FLAKY').length, 1);
});

t.test('a clashing code is refused at definition time', async (t) => {
  t.throws(
    () => defineErrors('DEMOTEST', { FLAKY: { status: 500, message: 'other', description: 'x' } }),
    /defined twice/,
  );
  t.throws(() => defineErrors('bad', {}), /bad error prefix/);
});
