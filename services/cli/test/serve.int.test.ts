import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { loadConfig } from '@aaf-sync/config';
import { testDb } from '@aaf-sync/testing';
import t from 'tap';

const MAIN = resolve(import.meta.dirname, '../dist/main.js');

t.test('serve listens, answers /healthz, and closes on SIGTERM', async (t) => {
  const { url } = await testDb(t);
  const child = spawn(process.execPath, [MAIN, 'serve'], {
    env: {
      DATABASE_URL: url,
      REDIS_URL: loadConfig().redis.url,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      LOG_PRETTY: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const address = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolveUrl(match[1]!);
    });
    child.on('exit', () => reject(new Error(`serve exited: ${stderr}`)));
  });
  t.match(address, /^http:\/\/127\.0\.0\.1:\d+$/);
  const health = await fetch(`${address}/healthz`);
  t.equal(health.status, 200);
  t.same(await health.json(), { status: 'ok' });
  const ready = await fetch(`${address}/readyz`);
  t.equal(ready.status, 200);
  child.kill('SIGTERM');
  t.equal(await exited, 0, 'graceful exit');
});
