import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import t from 'tap';
import { testDb, testRedis } from '@aaf-sync/testing';

const ROOT = resolve(import.meta.dirname, '../../..');
const MAIN = resolve(import.meta.dirname, '../src/main.ts');

/** The nice value of each thread of a process (Linux `/proc/<pid>/task/<tid>/stat`, field 19). */
function threadNices(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

t.test(
  'the ingester process runs at INGEST_NICE, every thread',
  { skip: process.platform !== 'linux' && 'reads /proc' },
  async (t) => {
    const { url } = await testDb(t);
    const redis = await testRedis(t);
    const dir = t.testdir({ inbox: {}, archive: {}, uploads: {}, quarantine: {} });
    const child = spawn(process.execPath, ['--import=tsx', MAIN], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: url,
        REDIS_URL: redis.url,
        QUEUE_PREFIX: redis.prefix,
        AAF_INBOX_DIR: join(dir, 'inbox'),
        AAF_ARCHIVE_DIR: join(dir, 'archive'),
        AAF_UPLOAD_DIR: join(dir, 'uploads'),
        AAF_QUARANTINE_DIR: join(dir, 'quarantine'),
        AAF_INBOX_POLL_SECONDS: '3600',
        INGEST_NICE: '7',
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
        if (out.includes('ingester started')) ok();
      });
      child.once('exit', (code) => fail(new Error(`ingester exited with ${code}: ${out}`)));
    });
    t.match(out, /"msg":"cpu priority"/, 'logged');
    t.match(out, /"nice":7/);
    const nices = threadNices(child.pid!);
    t.ok(nices.length > 1);
    t.same(new Set(nices), new Set([7]), 'every thread of the process');
    child.kill('SIGTERM');
    t.same(await exited, [0, null], 'stops cleanly');
  },
);
