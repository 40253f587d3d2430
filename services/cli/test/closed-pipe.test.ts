import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { ignoreClosedPipe } from '../src/closed-pipe.js';

t.test('a reader gone early (… | head): the write errors are dropped, others thrown', async (t) => {
  const out = new PassThrough();
  ignoreClosedPipe(out);
  const closed = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
  t.doesNotThrow(() => out.emit('error', closed));
  const destroyed = Object.assign(new Error('destroyed'), { code: 'ERR_STREAM_DESTROYED' });
  t.doesNotThrow(() => out.emit('error', destroyed));
  const full = Object.assign(new Error('no space'), { code: 'ENOSPC' });
  t.throws(() => out.emit('error', full), { code: 'ENOSPC' });
});

t.test('the CLI whose stdout reader has closed exits 0 without a stack trace', async (t) => {
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import=tsx', main, 'help'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The read end closes before the child has started (Node takes tens of ms to boot).
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const [code] = (await once(child, 'close')) as [number | null];
  t.equal(stderr, '');
  t.equal(code, 0);
});
