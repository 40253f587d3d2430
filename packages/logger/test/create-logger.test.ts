import { Writable } from 'node:stream';
import t from 'tap';
import { createLogger, REDACTED, redactUrl } from '../src/index.js';

function sink() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

t.test('logs JSON lines with the level and name', async (t) => {
  const { lines, stream } = sink();
  const log = createLogger({ level: 'info', name: 'unit' }, stream);
  log.debug('hidden');
  log.info({ importId: 7 }, 'import applied');
  t.equal(lines.length, 1);
  t.match(lines[0], { msg: 'import applied', importId: 7, name: 'unit', level: 30 });
});

t.test('secrets are redacted wherever they sit', async (t) => {
  const { lines, stream } = sink();
  const log = createLogger({ level: 'info' }, stream);
  log.info(
    {
      password: 'p1',
      ldap: { bindPassword: 'p2', url: 'ldap://admin:p3@host' },
      apiKey: 'aafk_secret',
      req: { headers: { authorization: 'Bearer p4', 'x-api-key': 'p5' } },
    },
    'config',
  );
  const text = JSON.stringify(lines[0]);
  for (const secret of ['p1', 'p2', 'p3', 'aafk_secret', 'p4', 'p5']) {
    t.notOk(text.includes(secret), `${secret} is not logged`);
  }
  t.equal((lines[0] as { password: string }).password, REDACTED);
});

t.test('redactUrl hides credentials only', async (t) => {
  t.equal(redactUrl('postgres://u:secret@h:5432/db'), 'postgres://u:xxx@h:5432/db');
  t.equal(redactUrl('redis://127.0.0.1:6379'), 'redis://127.0.0.1:6379');
  t.equal(redactUrl('not a url'), REDACTED);
});

t.test('pretty by default only when the descriptor written to is a terminal', async (t) => {
  const { loggerOptions } = await import('../src/index.js');
  const stdoutOnly = (fd: number) => fd === 1;
  const stderrOnly = (fd: number) => fd === 2;
  t.notOk(loggerOptions({ level: 'info', fd: 2 }, stdoutOnly).transport, '2>file: JSON lines');
  t.ok(loggerOptions({ level: 'info', fd: 2 }, stderrOnly).transport, '--json | jq: pretty');
  t.ok(loggerOptions({ level: 'info' }, stdoutOnly).transport, 'stdout (the default) on a TTY');
  t.notOk(loggerOptions({ level: 'info', pretty: false }, stdoutOnly).transport, 'forced off');
  t.ok(loggerOptions({ level: 'info', fd: 2, pretty: true }, stdoutOnly).transport, 'forced on');
});
