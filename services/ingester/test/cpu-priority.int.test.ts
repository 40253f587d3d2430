import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import t from 'tap';
import { startEntryPoint, testDb, testRedis } from '@aaf-sync/testing';

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
    const ingester = await startEntryPoint(
      t,
      MAIN,
      {
        DATABASE_URL: url,
        REDIS_URL: redis.url,
        QUEUE_PREFIX: redis.prefix,
        AAF_INBOX_DIR: join(dir, 'inbox'),
        AAF_ARCHIVE_DIR: join(dir, 'archive'),
        AAF_UPLOAD_DIR: join(dir, 'uploads'),
        AAF_QUARANTINE_DIR: join(dir, 'quarantine'),
        AAF_INBOX_POLL_SECONDS: '3600',
        INGEST_NICE: '7',
      },
      'ingester started',
    );
    const out = ingester.output();
    t.match(out, /"msg":"cpu priority"/, 'logged');
    t.match(out, /"nice":7/);
    const nices = threadNices(ingester.child.pid!);
    t.ok(nices.length > 1);
    t.same(new Set(nices), new Set([7]), 'every thread of the process');
    t.same(await ingester.stop(), [0, null], 'stops cleanly');
  },
);
