// Hostile and broken input against a real listening server: every refusal is a 4xx problem
// document with a stable code, and the process keeps answering afterwards.
import t, { type Test } from 'tap';
import type { ImportEnqueuer } from '../src/index.js';
import { build } from './helper.js';
import { rawPost, rawRequest, type RawResponse } from './raw-http.js';

const FILE_PART = (boundary: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="ENT_TEST_Delta_20240909_Eleve_0000.xml"\r\n` +
  `Content-Type: application/xml\r\n\r\n<ficAlimMENESR></ficAlimMENESR>\r\n`;

t.test('broken multipart bodies, long URLs and other unreadable requests', async (t) => {
  const submitted: unknown[] = [];
  const imports: ImportEnqueuer = {
    enqueue: async (job) => {
      submitted.push(job);
    },
  };
  const ctx = await build(t, { imports, uploadMaxBytes: 4096 });
  const admin = await ctx.key(['admin']);
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = ctx.app.server.address() as { port: number };
  const auth = { authorization: `Bearer ${admin}` };
  const upload = (contentType: string, body: string) =>
    rawRequest(port, rawPost('/v1/imports', { ...auth, 'content-type': contentType }, body));

  const isProblem = (t: Test, res: RawResponse, status: number, code: string) => {
    t.equal(res.status, status, `status ${res.status}: ${res.body.slice(0, 200)}`);
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    const problem = JSON.parse(res.body) as { code: string; status: number; detail: string };
    t.equal(problem.code, code);
    t.equal(problem.status, status);
    t.notMatch(problem.detail, /\/tmp\/|aaf-upload-|\n\s+at /, 'no server path in the detail');
  };

  const cases: [string, () => Promise<RawResponse>, number, string][] = [
    [
      'no boundary in the content type',
      () => upload('multipart/form-data', FILE_PART('abc')),
      400,
      'API_ERR_BAD_MULTIPART',
    ],
    [
      'a boundary the body does not use',
      () => upload('multipart/form-data; boundary=abc', `${FILE_PART('zzz')}--zzz--\r\n`),
      400,
      'API_ERR_BAD_MULTIPART',
    ],
    [
      'a body cut inside a file',
      () =>
        upload(
          'multipart/form-data; boundary=abc',
          '--abc\r\nContent-Disposition: form-data; name="f"; filename="ENT_TEST_Delta_20240909_Eleve_0000.xml"\r\n\r\n<ficAl',
        ),
      400,
      'API_ERR_BAD_MULTIPART',
    ],
    [
      'no closing delimiter',
      () => upload('multipart/form-data; boundary=abc', FILE_PART('abc')),
      400,
      'API_ERR_BAD_MULTIPART',
    ],
    [
      'a part whose headers end before the body starts',
      () =>
        upload(
          'multipart/form-data; boundary=abc',
          '--abc\r\nContent-Disposition: form-data; name="f"; filename="ENT_TEST_Delta_20240909_Eleve_0000.xml"',
        ),
      400,
      'API_ERR_BAD_MULTIPART',
    ],
    [
      'a part without headers',
      () => upload('multipart/form-data; boundary=abc', '--abc\r\n\r\nhello\r\n--abc--\r\n'),
      400,
      'API_ERR_VALIDATION',
    ],
    [
      'a boundary longer than the parser accepts',
      () => upload(`multipart/form-data; boundary=${'b'.repeat(300)}`, FILE_PART('b'.repeat(300))),
      400,
      'API_ERR_BAD_MULTIPART',
    ],
    [
      'a file over the size limit (API_UPLOAD_MAX_MB)',
      () =>
        upload(
          'multipart/form-data; boundary=abc',
          '--abc\r\nContent-Disposition: form-data; name="f"; filename="big.xml"\r\n\r\n' +
            `${'x'.repeat(10_000)}\r\n--abc--\r\n`,
        ),
      413,
      'API_ERR_PAYLOAD_TOO_LARGE',
    ],
    [
      'a file over the size limit followed by another part',
      () =>
        upload(
          'multipart/form-data; boundary=abc',
          '--abc\r\nContent-Disposition: form-data; name="f"; filename="big.xml"\r\n\r\n' +
            `${'x'.repeat(10_000)}\r\n${FILE_PART('abc')}--abc--\r\n`,
        ),
      413,
      'API_ERR_PAYLOAD_TOO_LARGE',
    ],
    [
      'more form fields than allowed',
      () => {
        const fields = Array.from(
          { length: 12 },
          (_, i) => `--abc\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nx\r\n`,
        );
        return upload('multipart/form-data; boundary=abc', `${fields.join('')}--abc--\r\n`);
      },
      413,
      'API_ERR_PAYLOAD_TOO_LARGE',
    ],
    [
      'a file name that is not a plain name (the parser already drops folders)',
      () =>
        upload(
          'multipart/form-data; boundary=abc',
          '--abc\r\nContent-Disposition: form-data; name="f"; filename=".profile"\r\n\r\nx\r\n--abc--\r\n',
        ),
      400,
      'API_ERR_VALIDATION',
    ],
    [
      'a JSON body where multipart is expected',
      () => upload('application/json', '{"files":'),
      400,
      'API_ERR_BAD_REQUEST',
    ],
    [
      'an unsupported content type',
      () => upload('text/x-unknown', 'hello'),
      415,
      'API_ERR_UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a URL longer than the header limit of Node',
      () =>
        rawRequest(
          port,
          `GET /v1/persons?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        ),
      431,
      'API_ERR_HEADERS_TOO_LARGE',
    ],
    [
      'a path parameter longer than the router accepts',
      () =>
        rawRequest(
          port,
          `GET /v1/accounts/${'x'.repeat(500)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${admin}\r\nConnection: close\r\n\r\n`,
        ),
      414,
      'API_ERR_URI_TOO_LONG',
    ],
    [
      'a request that is not HTTP',
      () => rawRequest(port, 'HELLO THERE\r\n\r\n'),
      400,
      'API_ERR_BAD_REQUEST',
    ],
    [
      'a malformed header line',
      () => rawRequest(port, 'GET /healthz HTTP/1.1\r\nHost x\r\nBad Header\r\n\r\n'),
      400,
      'API_ERR_BAD_REQUEST',
    ],
    [
      'a method no route has',
      () => rawRequest(port, 'PATCH /v1/persons HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      404,
      'API_ERR_ROUTE_NOT_FOUND',
    ],
    [
      'an unknown route',
      () => rawRequest(port, 'GET /v2/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      404,
      'API_ERR_ROUTE_NOT_FOUND',
    ],
  ];
  for (const [name, send, status, code] of cases) {
    t.test(name, async (t) => {
      isProblem(t, await send(), status, code);
      const health = await rawRequest(
        port,
        'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      );
      t.equal(health.status, 200, 'the process still answers');
    });
  }

  t.test('a well-formed upload still goes through afterwards', async (t) => {
    const res = await upload('multipart/form-data; boundary=abc', `${FILE_PART('abc')}--abc--\r\n`);
    t.equal(res.status, 202, res.body);
    t.equal(submitted.length, 1, 'only the well-formed upload was queued');
  });
});
