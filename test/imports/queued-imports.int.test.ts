// Imports never run in the API process: uploads and held-plan decisions go through PostgreSQL and
// the BullMQ queue to the ingester's import worker. Real API (inject), real Redis, real worker.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import t, { type Test } from 'tap';
import { buildApp, queueEnqueuer } from '@aaf-sync/api';
import { createApiKey } from '@aaf-sync/api-keys';
import { loadConfig, type Config } from '@aaf-sync/config';
import { sql } from '@aaf-sync/db';
import { generateAcademie } from '@aaf-sync/generator';
import { createIngestDeps, INGEST_LOCK, type IngestDeps } from '@aaf-sync/ingest';
import { createImportWorker } from '@aaf-sync/ingester';
import { createLogger } from '@aaf-sync/logger';
import { testDb, testRedis, type TestRedis, until } from '@aaf-sync/testing';

const SAMPLES = resolve(import.meta.dirname, '../fixtures/aaf-samples/2d');
const INGESTER = resolve(import.meta.dirname, '../../services/ingester/dist/main.js');
const silent = createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));

function multipart(files: Record<string, Buffer | string>) {
  const boundary = `----aafsync${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${name}"\r\n` +
          `Content-Type: application/xml\r\n\r\n`,
      ),
      Buffer.isBuffer(content) ? content : Buffer.from(content),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

function samples(pick: string, rename = (n: string) => n, edit = (s: string) => s) {
  const out: Record<string, string> = {};
  for (const name of readdirSync(SAMPLES))
    if (name.includes(pick)) out[rename(name)] = edit(readFileSync(join(SAMPLES, name), 'utf8'));
  return out;
}

interface ImportState {
  import: { id: number; status: string; error: { code: string } | null; progress: unknown };
  summary: Record<string, unknown> | null;
  plans: { uai: string; status: string }[];
  decisions: { status: string }[];
}

/** The API (with the real queue) and, on demand, the ingester's import worker. */
async function setup(t: Test) {
  const { db, url } = await testDb(t);
  const redis = await testRedis(t);
  const uploadDir = mkdtempSync(join(tmpdir(), 'aaf-uploads-'));
  t.teardown(() => rmSync(uploadDir, { recursive: true, force: true }));
  const base = loadConfig({ ...process.env, DATABASE_URL: url });
  const config: Config = { ...base, ingest: { ...base.ingest, uploadDir } };
  const enqueuer = queueEnqueuer(config, redis.connect({ maxRetriesPerRequest: 1 }), silent, {
    prefix: redis.prefix,
  });
  const app = await buildApp({ config, db, log: silent, imports: enqueuer });
  t.teardown(async () => {
    await app.close();
    await enqueuer.close();
  });
  const { token } = await createApiKey(db, { name: 'test', scopes: ['admin'], actor: 'test' });
  const headers = { authorization: `Bearer ${token}` };
  const get = async (id: number) =>
    (await app.inject({ url: `/v1/imports/${id}`, headers })).json() as ImportState;
  return {
    db,
    url,
    redis,
    config,
    app,
    async upload(files: Record<string, Buffer | string>) {
      const form = multipart(files);
      const res = await app.inject({
        method: 'POST',
        url: '/v1/imports',
        payload: form.payload,
        headers: { ...headers, ...form.headers },
      });
      t.equal(res.statusCode, 202, res.body);
      t.match(res.headers.location, /^\/v1\/imports\/\d+$/);
      return (res.json() as { importId: number }).importId;
    },
    decide(id: number, uai: string, decision: 'approve' | 'discard') {
      return app.inject({
        method: 'POST',
        url: `/v1/imports/${id}/plans/${uai}/${decision}`,
        headers,
      });
    },
    get,
    settled: (id: number) =>
      until(`import ${id} to end`, async () => {
        const s = await get(id);
        // The report is written right after the final status.
        const ended = !['queued', 'planning', 'applying'].includes(s.import.status);
        return ended && (s.summary !== null || s.import.status === 'failed') && s;
      }),
    startWorker: async (wrap: (d: IngestDeps) => IngestDeps = (d) => d) => {
      const worker = createImportWorker({
        config,
        deps: wrap(createIngestDeps(config, db, silent)),
        log: silent,
        connection: redis.connect(),
        prefix: redis.prefix,
        sweepMs: 200,
        progressIntervalMs: 0,
      });
      t.teardown(() => worker.close());
      await worker.start();
      return worker;
    },
  };
}

/** A week later every pupil and relative is missing: far over the hold threshold. */
function weekLaterWithoutPupils() {
  return samples(
    'Complet',
    (n) => n.replace('20240907', '20240914'),
    (x) =>
      x.replace(
        /<addRequest>(?:(?!<\/addRequest>)[\s\S])*?categoriePersonne"><value>(?:Eleve|PersRelEleve)<[\s\S]*?<\/addRequest>/g,
        '',
      ),
  );
}

async function flush(redis: TestRedis): Promise<number> {
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await redis.redis.scan(cursor, 'MATCH', `${redis.prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) n += await redis.redis.del(...keys);
  } while (cursor !== '0');
  return n;
}

t.test('an upload waits for the ingester, which applies it and reports progress', async (t) => {
  const s = await setup(t);
  const id = await s.upload(samples('Complet'));
  const before = await s.get(id);
  t.match(before.import, { status: 'queued', progress: { phase: 'queued' } });
  const persons = await s.db.selectFrom('person').select('id').execute();
  t.equal(persons.length, 0, 'nothing is applied without the ingester');
  await s.startWorker();
  const done = await s.settled(id);
  t.match(done.import, { status: 'applied', error: null, progress: { phase: 'done' } });
  t.match(done.summary, { status: 'applied' });
  t.ok((await s.db.selectFrom('person').select('id').execute()).length > 0);
  await until(
    'the spool folder to be removed',
    async () => readdirSync(s.config.ingest.uploadDir).length === 0,
  );
});

t.test('Redis flushed after the submit: the ingester rebuilds the job, applies once', async (t) => {
  const s = await setup(t);
  const id = await s.upload(samples('Complet'));
  t.ok((await flush(s.redis)) > 0, 'the job was in Redis, and is gone');
  const worker = await s.startWorker();
  const done = await s.settled(id);
  t.equal(done.import.status, 'applied');
  const runs = await s.db.selectFrom('import_run').select(['id', 'status']).execute();
  t.same(runs, [{ id, status: 'applied' }], 'one run, applied once');
  t.same(await worker.sweep(), [], 'nothing left to enqueue');
});

t.test('a decision while another import holds the lock is answered at once', async (t) => {
  const s = await setup(t);
  await s.startWorker();
  await s.settled(await s.upload(samples('Complet')));
  const held = await s.settled(await s.upload(weekLaterWithoutPupils()));
  t.equal(held.import.status, 'held');
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const holder = s.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${INGEST_LOCK})`.execute(conn);
    locked();
    await released;
    await sql`select pg_advisory_unlock(${INGEST_LOCK})`.execute(conn);
  });
  await isLocked;
  const started = Date.now();
  const res = await s.decide(held.import.id, '0990001N', 'approve');
  t.equal(res.statusCode, 202, res.body);
  t.ok(Date.now() - started < 2000, `answered in ${Date.now() - started} ms`);
  await until('the worker to take the decision', async () => {
    const d = await s.get(held.import.id);
    return d.decisions[0]?.status === 'running';
  });
  t.match((await s.get(held.import.id)).plans, [{ uai: '0990001N', status: 'held' }]);
  t.equal((await s.app.inject({ url: '/healthz' })).statusCode, 200, 'the API is not blocked');
  release();
  await holder;
  const decided = await until('the decision to be executed', async () => {
    const d = await s.get(held.import.id);
    return d.decisions[0]?.status === 'done' && d;
  });
  t.match(decided.plans, [{ uai: '0990001N', status: 'approved' }]);
  t.equal(decided.import.status, 'applied');
});

t.test('an ingester killed mid-import leaves the API up and the run failed', async (t) => {
  const s = await setup(t);
  const out = t.testdir();
  await generateAcademie({ out, seed: 7, persons: 3000, deltas: 0 });
  const files: Record<string, Buffer> = {};
  for (const n of readdirSync(out).filter((n) => n.includes('_Complet_') && n.endsWith('.xml')))
    files[n] = readFileSync(join(out, n));
  const id = await s.upload(files);
  const dir = t.testdir({ inbox: {}, archive: {} });
  const child = spawn(process.execPath, [INGESTER], {
    env: {
      DATABASE_URL: s.url,
      REDIS_URL: s.redis.url,
      QUEUE_PREFIX: s.redis.prefix,
      AAF_UPLOAD_DIR: s.config.ingest.uploadDir,
      AAF_INBOX_DIR: join(dir, 'inbox'),
      AAF_ARCHIVE_DIR: join(dir, 'archive'),
      IMPORT_BATCH_SIZE: '50',
      LOG_LEVEL: 'warn',
      LOG_PRETTY: 'false',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await until('the ingester to be reading the delivery', async () => {
    if (child.exitCode !== null) throw new Error(`ingester exited: ${stderr}`);
    const st = await s.get(id);
    return st.import.status === 'planning';
  });
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGKILL');
  await exited;
  t.equal((await s.app.inject({ url: '/healthz' })).statusCode, 200, 'the API answers');
  t.equal((await s.get(id)).import.status, 'planning', 'left half-done by the dead worker');
  await s.startWorker();
  const after = await s.settled(id);
  t.match(after.import, { status: 'failed', error: { code: 'INGEST_ERR_INTERRUPTED' } });
  t.equal((await s.db.selectFrom('person').select('id').execute()).length, 0, 'nothing applied');
});

t.test('an upload whose files vanished from the spool ends failed, not retried', async (t) => {
  const s = await setup(t);
  const id = await s.upload(samples('Complet'));
  for (const name of readdirSync(s.config.ingest.uploadDir))
    rmSync(join(s.config.ingest.uploadDir, name), { recursive: true, force: true });
  await s.startWorker();
  const after = await s.settled(id);
  t.match(after.import, { status: 'failed', error: { code: 'UPLOAD_MISSING' } });
  t.equal((await s.app.inject({ url: '/healthz' })).statusCode, 200);
});

t.test('an import that throws in the worker ends failed; the API is untouched', async (t) => {
  const s = await setup(t);
  const id = await s.upload(samples('Complet'));
  await s.startWorker((deps) => ({
    ...deps,
    identifiers: () => ({
      allocate: async () => {
        throw new Error('allocator exploded');
      },
      finish: async () => {},
    }),
  }));
  const after = await s.settled(id);
  t.match(after.import, { status: 'failed', error: { message: /allocator exploded/ } });
  t.equal((await s.db.selectFrom('person').select('id').execute()).length, 0, 'rolled back');
  t.equal((await s.app.inject({ url: '/healthz' })).statusCode, 200, 'the API answers');
});

t.test('a decision whose job Redis lost is rebuilt from PostgreSQL', async (t) => {
  const s = await setup(t);
  const first = await s.startWorker();
  await s.settled(await s.upload(samples('Complet')));
  const held = await s.settled(await s.upload(weekLaterWithoutPupils()));
  t.equal(held.import.status, 'held');
  await first.close();
  const res = await s.decide(held.import.id, '0990001N', 'discard');
  t.equal(res.statusCode, 202, res.body);
  t.ok((await flush(s.redis)) > 0, 'the decision job is gone with Redis');
  await s.startWorker();
  const decided = await until('the decision to be executed', async () => {
    const d = await s.get(held.import.id);
    return d.decisions[0]?.status === 'done' && d;
  });
  t.match(decided.plans, [{ uai: '0990001N', status: 'discarded' }]);
  t.equal(decided.import.status, 'discarded');
});
