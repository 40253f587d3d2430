// The targets process as deployed: this service's entry point over packages/drivers.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import t from 'tap';
import { testDb, testRedis } from '@aaf-sync/testing';

const ROOT = resolve(import.meta.dirname, '../../..');
const MAIN = resolve(import.meta.dirname, '../src/main.ts');

t.test('the entry point runs the targets process until SIGTERM, then exits 0', async (t) => {
  const { url } = await testDb(t);
  const redis = await testRedis(t);
  const child = spawn(process.execPath, ['--import=tsx', MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: redis.prefix,
      TARGETS_POLL_SECONDS: '3600',
      LOG_LEVEL: 'info',
      LOG_PRETTY: 'false',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  t.teardown(async () => {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  let out = '';
  await new Promise<void>((ok, fail) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('targets process started')) ok();
    });
    child.once('exit', (code) => fail(new Error(`targets process exited with ${code}: ${out}`)));
  });
  t.match(out, /"name":"targets"/, 'logs under the process name');
  child.kill('SIGTERM');
  t.same(await exited, [0, null], 'stops cleanly');
});
