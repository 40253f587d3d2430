import { PassThrough } from 'node:stream';
import t from 'tap';
import { testDb } from '@aaf-sync/testing';
import { runCli } from '../src/index.js';

t.test('migrate on an up-to-date database applies nothing and says so', async (t) => {
  const { url } = await testDb(t);
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  const code = await runCli(['migrate'], {
    env: { DATABASE_URL: url, LOG_LEVEL: 'silent' },
    stdout: out,
  });
  t.equal(code, 0);
  t.match(text, /^0 migration\(s\) applied/);
});
