// The API with the real import queue, a real import worker (what the ingester runs) and the
// identifier allocator: uploads, held plans, previews, and a change-feed consumer following
// real imports.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import t, { type Test } from 'tap';
import { loadConfig } from '@aaf-sync/config';
import { generateAcademie } from '@aaf-sync/generator';
import { createIngestDeps, ImportQueue, ingestPaths, runImportJob } from '@aaf-sync/ingest';
import { startWorker } from '@aaf-sync/jobs';
import { createLogger } from '@aaf-sync/logger';
import { until } from '@aaf-sync/testing';
import { engineIdentifierService } from '../src/engine-services.js';
import { body, build, type TestApp } from './helper.js';
import { multipart } from './deliveries.js';

const SAMPLES = resolve(import.meta.dirname, '../../../test/fixtures/aaf-samples/2d');
const silent = createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));

function sampleFiles(
  pick: string,
  rename: (n: string) => string = (n) => n,
  edit: (s: string) => string = (s) => s,
) {
  const out: Record<string, string> = {};
  for (const name of readdirSync(SAMPLES)) {
    if (name.includes(pick)) out[rename(name)] = edit(readFileSync(join(SAMPLES, name), 'utf8'));
  }
  return out;
}

async function withEngine(t: Parameters<typeof build>[0]): Promise<TestApp> {
  // The identifier service is built on the app's own database once it exists.
  const holder: { ctx?: TestApp } = {};
  const app = () => holder.ctx!;
  const lazy = {
    queue: true,
    identifiers: {
      preview: (input: Parameters<ReturnType<typeof engineIdentifierService>['preview']>[0]) =>
        engineIdentifierService(app().config, app().db).preview(input),
    },
  };
  const ctx = (holder.ctx = await build(t, lazy));
  const deps = createIngestDeps(ctx.config, ctx.db, silent);
  const worker = startWorker(
    ImportQueue,
    (job, _raw, log) => runImportJob(deps, job, { log, progressIntervalMs: 0 }),
    { connection: ctx.redis!.connect(), prefix: ctx.redis!.prefix, log: silent },
  );
  t.teardown(() => worker.close());
  return ctx;
}

interface ImportState {
  import: {
    id: number;
    status: string;
    progress: { phase: string; recordsRead: number } | null;
  };
  summary: Record<string, unknown> | null;
  decisions: { status: string }[];
  plans: { uai: string; status: string }[];
  warnings: { code: string; uai: string | null; subject: string; message: string }[];
}

const RUNNING = ['queued', 'planning', 'applying'];

/** Polls the import until `done` says so (bounded: 60 s). */
async function poll(
  ctx: TestApp,
  token: string,
  id: number,
  done: (s: ImportState) => boolean = (s) =>
    !RUNNING.includes(s.import.status) &&
    (s.import.progress === null || s.import.progress.phase === 'done'),
): Promise<ImportState> {
  return until(`import ${id} to end`, async () => {
    const state = body<ImportState>(await ctx.get(token, `/v1/imports/${id}`));
    return done(state) && state;
  });
}

/** Uploads, expects 202 + Location, polls the import until it ends. */
async function submit(
  t: Test,
  ctx: TestApp,
  token: string,
  files: Record<string, string>,
  fields: Record<string, string> = {},
): Promise<ImportState> {
  const upload = multipart(files, fields);
  const res = await ctx.inject({
    method: 'POST',
    url: '/v1/imports',
    headers: { authorization: `Bearer ${token}`, ...upload.headers },
    payload: upload.payload,
  });
  t.equal(res.statusCode, 202, res.body);
  const { importId } = body<{ importId: number }>(res);
  t.equal(res.headers.location, `/v1/imports/${importId}`);
  return poll(ctx, token, importId);
}

t.test(
  'uploading a delivery imports it; the account shows its identifiers and its file',
  async (t) => {
    const ctx = await withEngine(t);
    const token = await ctx.key(['imports:write', 'accounts:read']);
    const state = await submit(t, ctx, token, sampleFiles('Complet'));
    t.equal(state.import.status, 'applied');
    t.match(state.import.progress, { phase: 'done', recordsRead: Number });
    t.ok(state.import.progress!.recordsRead > 0, 'records read are counted');
    // The engine stores its report just after the run's final status: wait for it.
    const reported = await poll(ctx, token, state.import.id, (s) => s.summary !== null);
    t.match(reported.summary, { status: 'applied', establishments: Object });
    const account = await ctx.get(token, '/v1/accounts/jointure:9300101');
    t.equal(account.statusCode, 200);
    const a = body<Record<string, unknown>>(account);
    t.match(JSON.stringify(a), /l\.marchand/, 'the EduConnect-style identifier is allocated');
    t.match(JSON.stringify(a), /lmarchand/, 'and the pnom one');
    t.match(
      JSON.stringify(a),
      /ENT_TEST_Complet_20240907_Eleve_0000\.xml/,
      'the file that last changed it',
    );
  },
);

t.test(
  'contacts show on the pupil record without an account; warnings come with the import',
  async (t) => {
    const ctx = await withEngine(t);
    const token = await ctx.key(['imports:write', 'imports:read', 'accounts:read']);
    const state = await submit(
      t,
      ctx,
      token,
      sampleFiles(
        'Complet',
        (n) => n,
        (s) => s.replace('<value>14/03/2012</value>', '<value>31/02/2012</value>'),
      ),
    );
    t.equal(state.import.status, 'applied');
    t.match(state.warnings, [
      { code: 'BIRTH_DATE_INVALID', uai: '0990001N', subject: '9300101', message: /31\/02\/2012/ },
    ]);
    const pupil = body<{
      identity: { birthDate: string | null };
      relations: { relatives: { jointure: string; legal: number; hasAccount: boolean }[] };
    }>(await ctx.get(token, '/v1/accounts/jointure:9300101'));
    t.equal(pupil.identity.birthDate, null, 'the pupil is kept without the impossible date');
    t.match(pupil.relations.relatives, [
      { jointure: '9310201', legal: 1, hasAccount: true },
      { jointure: '9310202', legal: 1, hasAccount: true },
      { jointure: '9310203', legal: 0, contact: true, hasAccount: false },
    ]);
    const contact = body<{
      lifecycle: { hasAccount: boolean };
      identifiers: Record<string, unknown>;
      establishments: unknown[];
    }>(await ctx.get(token, '/v1/accounts/jointure:9310203'));
    t.equal(contact.lifecycle.hasAccount, false);
    t.same(contact.identifiers, {}, 'no identifier allocated to a contact');
    t.same(contact.establishments, []);
  },
);

t.test('a dry-run upload plans without writing', async (t) => {
  const ctx = await withEngine(t);
  const token = await ctx.key(['imports:write', 'directory:read', 'imports:read']);
  const state = await submit(t, ctx, token, sampleFiles('Complet'), { dryRun: 'true' });
  t.equal(state.import.status, 'dry_run');
  const persons = body<{ items: unknown[] }>(await ctx.get(token, '/v1/persons'));
  t.same(persons.items, []);
});

t.test('a held establishment is approved through the API', async (t) => {
  const ctx = await withEngine(t);
  const token = await ctx.key(['imports:write', 'admin']);
  const send = async (files: Record<string, string>) => (await submit(t, ctx, token, files)).import;
  await send(sampleFiles('Complet'));
  // A week later every pupil and relative is missing: far over the 10 % threshold.
  const later = await send(
    sampleFiles(
      'Complet',
      (n) => n.replace('20240907', '20240914'),
      (s) =>
        s.replace(
          /<addRequest>(?:(?!<\/addRequest>)[\s\S])*?categoriePersonne"><value>(?:Eleve|PersRelEleve)<[\s\S]*?<\/addRequest>/g,
          '',
        ),
    ),
  );
  t.equal(later.status, 'held');
  const approve = await ctx.inject({
    method: 'POST',
    url: `/v1/imports/${later.id}/plans/0990001N/approve`,
    headers: { authorization: `Bearer ${token}` },
  });
  t.equal(approve.statusCode, 202, approve.body);
  const decided = await poll(ctx, token, later.id, (s) =>
    s.decisions.every((d) => d.status === 'done' || d.status === 'failed'),
  );
  t.match(decided.decisions, [{ status: 'done' }]);
  t.match(decided.plans, [{ uai: '0990001N', status: 'approved' }]);
  t.equal(decided.import.status, 'applied');
  const state = await ctx.db
    .selectFrom('person')
    .select('state')
    .where('jointure', '=', '9300101')
    .executeTakeFirstOrThrow();
  t.equal(state.state, 'departed');
  const audit = await ctx.db.selectFrom('audit_log').select('action').execute();
  t.ok(
    audit.some((a) => /approve|decide/.test(a.action)),
    'the approval is audited',
  );
});

t.test('the identifier preview counts homonyms already allocated', async (t) => {
  const ctx = await withEngine(t);
  const token = await ctx.key(['imports:write', 'accounts:read']);
  t.equal((await submit(t, ctx, token, sampleFiles('Complet'))).import.status, 'applied');
  const res = await ctx.get(
    token,
    '/v1/identifiers/preview?givenName=L%C3%A9a&sn=Marchand&namespace=educonnect',
  );
  t.equal(res.statusCode, 200, res.body);
  t.match(res.body, /l\.marchand1/, 'the next Léa Marchand gets l.marchand1');
});

interface PersonPage {
  items: (Held & { jointure: string })[];
  nextCursor: string | null;
  feedCursor: string;
}

interface FeedPage {
  items: { key: string; type: string; version: number; changes: Record<string, unknown> }[];
  nextCursor: string;
  hasMore: boolean;
}

interface Held {
  givenName: string;
  sn: string;
  state: string;
  version: number;
}

t.test(
  'a consumer that snapshots then follows the feed during real imports ends with the directory',
  async (t) => {
    const ctx = await withEngine(t);
    const out = t.testdir();
    await generateAcademie({ out, seed: 5, persons: 1500, deltas: 3 });
    const token = await ctx.key(['changes:read', 'directory:read']);
    const config = loadConfig({ ...process.env, DATABASE_URL: ctx.config.database.url });
    const deps = createIngestDeps(config, ctx.db, silent);
    const xml = readdirSync(out).filter((n) => n.endsWith('.xml'));
    const byDate = [...new Set(xml.map((n) => /_(\d{8})_/.exec(n)![1]!))].sort();
    // The complete first (so there is something to snapshot), then the deltas during the snapshot.
    await ingestPaths(
      deps,
      xml.filter((n) => n.includes(byDate[0]!)).map((n) => join(out, n)),
      { source: 'test' },
    );
    let importsDone = false;
    const imports = (async () => {
      for (const date of byDate.slice(1)) {
        await ingestPaths(
          deps,
          xml.filter((n) => n.includes(`_${date}_`)).map((n) => join(out, n)),
          { source: 'test' },
        );
      }
      importsDone = true;
    })();
    const held = new Map<string, Held>();
    let cursor: string | null = null;
    let feed = '';
    do {
      const page: PersonPage = body<PersonPage>(
        await ctx.get(token, `/v1/persons?limit=200${cursor ? `&cursor=${cursor}` : ''}`),
      );
      feed ||= page.feedCursor;
      for (const p of page.items)
        held.set(p.jointure, {
          givenName: p.givenName,
          sn: p.sn,
          state: p.state,
          version: p.version,
        });
      cursor = page.nextCursor;
    } while (cursor);
    let gaps = 0;
    for (;;) {
      const done = importsDone;
      const page: FeedPage = body<FeedPage>(
        await ctx.get(token, `/v1/changes?types=person&limit=500&cursor=${feed}`),
      );
      for (const e of page.items) {
        const mine = held.get(e.key);
        if (mine && e.version <= mine.version) continue;
        if (mine && e.version !== mine.version + 1) gaps++;
        if (e.type === 'person.created') {
          const after = e.changes.after as Held;
          held.set(e.key, {
            givenName: after.givenName,
            sn: after.sn,
            state: after.state,
            version: e.version,
          });
          continue;
        }
        if (!mine) continue;
        const fields = (e.changes.fields ?? {}) as Record<string, [unknown, unknown]>;
        if (fields.givenName) mine.givenName = fields.givenName[1] as string;
        if (fields.sn) mine.sn = fields.sn[1] as string;
        if (e.type === 'person.departed') mine.state = 'departed';
        if (e.type === 'person.restored') mine.state = 'active';
        mine.version = e.version;
      }
      feed = page.nextCursor;
      if (!page.hasMore && done) break;
      if (!page.hasMore) await new Promise((r) => setTimeout(r, 20));
    }
    await imports;
    t.equal(gaps, 0, 'versions follow each other without gaps');
    const truth = await ctx.db
      .selectFrom('person')
      .select(['jointure', 'given_name', 'sn', 'state', 'version'])
      .execute();
    const expected = Object.fromEntries(
      truth.map((p) => [
        p.jointure,
        { givenName: p.given_name, sn: p.sn, state: p.state, version: p.version },
      ]),
    );
    t.same(Object.fromEntries(held), expected, 'the consumer state equals the directory');
  },
);
