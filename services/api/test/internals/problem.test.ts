import t from 'tap';
import { ApiErrors } from '../../src/index.js';
import { csvField, csvLine } from '../../src/lib/csv.js';
import { classifyError, toProblem } from '../../src/lib/problem.js';

const request = { id: 'req-1', url: '/v1/x?q=secret' };

t.test('an AppError becomes a problem document with its code', async (t) => {
  const p = toProblem(ApiErrors.NOT_FOUND({ resource: 'account', id: 'A1' }), request);
  t.same(p, {
    type: 'urn:aaf-sync:error:API_ERR_NOT_FOUND',
    title: 'Not Found',
    status: 404,
    detail: 'account A1 not found',
    code: 'API_ERR_NOT_FOUND',
    instance: '/v1/x',
    requestId: 'req-1',
  });
});

t.test('an unknown error is a 500 whose message is hidden', async (t) => {
  const p = toProblem(classifyError(new Error('password=hunter2 in a stack')), request);
  t.equal(p.status, 500);
  t.equal(p.code, 'API_ERR_INTERNAL');
  t.equal(p.detail, 'internal error (request req-1)');
});

t.test('fastify client errors keep a 4xx; an unreachable database is 503', async (t) => {
  t.equal(classifyError({ statusCode: 413, message: 'too big' }).code, 'API_ERR_PAYLOAD_TOO_LARGE');
  t.equal(
    classifyError({ statusCode: 415, message: 'type' }).code,
    'API_ERR_UNSUPPORTED_MEDIA_TYPE',
  );
  t.equal(classifyError({ statusCode: 400, message: 'bad json' }).code, 'API_ERR_BAD_REQUEST');
  t.equal(
    classifyError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).code,
    'DB_ERR_UNREACHABLE',
  );
  t.equal(classifyError(Object.assign(new Error('x'), { code: '22021' })).status, 400);
});

t.test('CSV fields are quoted and defused', async (t) => {
  t.equal(csvField('plain'), 'plain');
  t.equal(csvField('a,b'), '"a,b"');
  t.equal(csvField('say "hi"'), '"say ""hi"""');
  t.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  t.equal(csvField(null), '');
  t.equal(csvLine([1, 'a\nb', undefined]), '1,"a\nb",\r\n');
});
