// Real deliveries for write-route tests: a generated académie of two establishments, uploads as
// multipart bodies, the real import queue and worker behind the app, and a snapshot of one establishment's
// rows to prove that a write left it alone.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Database, Kysely } from '@aaf-sync/db';
import { generateAcademie } from '@aaf-sync/generator';
import { createLogger } from '@aaf-sync/logger';
import type { LightMyRequestResponse } from 'fastify';
import { createIngestDeps, ImportQueue, runImportJob } from '@aaf-sync/ingest';
import { startWorker } from '@aaf-sync/jobs';
import { engineIdentifierService } from '../src/engine-services.js';
import { build, type BuildOptions, type TestApp } from './helper.js';

/** The two establishments of the generated académie (seed 3, 1,200 persons). */
export const EST_A = { uai: '0990001N', jointure: '910001' } as const;
export const EST_B = { uai: '0990002P', jointure: '910002' } as const;

const silent = createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));

export type Files = Record<string, string>;

/** The Complet (2024-09-07) and the Delta (2024-09-09, it adds a staff member to B) by name. */
export async function generatedDeliveries(dir: string): Promise<{ complete: Files; delta: Files }> {
  await generateAcademie({ out: dir, seed: 3, persons: 1200, deltas: 1 });
  const pick = (kind: string): Files =>
    Object.fromEntries(
      readdirSync(dir)
        .filter((n) => n.endsWith('.xml') && n.includes(`_${kind}_`))
        .map((n) => [n, readFileSync(join(dir, n), 'utf8')]),
    );
  return { complete: pick('Complet'), delta: pick('Delta') };
}

/** A later Complet (2024-09-14) where every pupil and relative is gone: each plan is held. */
export function completeWithoutPupils(complete: Files): Files {
  return Object.fromEntries(
    Object.entries(complete).map(([name, xml]) => [
      name.replace('20240907', '20240914'),
      /_(Eleve|PersRelEleve)_/.test(name)
        ? xml.replace(/<addRequest>[\s\S]*?<\/addRequest>\s*/g, '')
        : xml,
    ]),
  );
}

export function multipart(files: Files, fields: Record<string, string> = {}) {
  const boundary = `----aafsync${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  for (const [name, content] of Object.entries(files)) {
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${name}"\r\n` +
        `Content-Type: application/xml\r\n\r\n${content}\r\n`,
    );
  }
  parts.push(`--${boundary}--\r\n`);
  return {
    payload: parts.join(''),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** How long a queued import may take in these tests (a bound, not a wait). */
const SETTLE_MS = 60_000;

/** Waits until every one of these import runs has ended and has its report. */
export async function settled(db: Kysely<Database>, ids: readonly number[]): Promise<void> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const running = await db
      .selectFrom('import_run')
      .select('id')
      .where('id', 'in', [...ids])
      .where((eb) =>
        eb.or([
          eb('status', 'in', ['queued', 'planning', 'applying']),
          // the report is written right after these statuses are committed
          eb.and([
            eb('summary', 'is', null),
            eb('status', 'in', ['applied', 'held', 'partially_held', 'dry_run']),
          ]),
        ]),
      )
      .execute();
    if (running.length === 0) return;
    if (Date.now() > deadline) throw new Error(`imports ${ids.join(', ')} still running`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * POST /v1/imports of these files with this token (none: no Authorization header). A queued
 * upload (202) is awaited: the answer comes back once the worker has run each of its imports.
 */
export async function submit(
  ctx: TestApp,
  token: string | null,
  files: Files,
  fields: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const upload = multipart(files, fields);
  const res = await ctx.inject({
    method: 'POST',
    url: '/v1/imports',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...upload.headers },
    payload: upload.payload,
  });
  if (res.statusCode === 202) {
    const queued = JSON.parse(res.body) as { imports: { id: number }[] };
    await settled(
      ctx.db,
      queued.imports.map((i) => i.id),
    );
  }
  return res;
}

/** POST a held-plan decision; a queued one (202) is awaited until the worker has run it. */
export async function decide(
  ctx: TestApp,
  token: string | null,
  importId: number,
  uai: string,
  decision: 'approve' | 'discard',
): Promise<LightMyRequestResponse> {
  const res = await ctx.inject({
    method: 'POST',
    url: `/v1/imports/${importId}/plans/${uai}/${decision}`,
    ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
  });
  if (res.statusCode === 202) {
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      const open = await ctx.db
        .selectFrom('import_decision')
        .select('id')
        .where('import_id', '=', importId)
        .where('uai', '=', uai)
        .where('status', 'in', ['queued', 'running'])
        .execute();
      if (open.length === 0) break;
      if (Date.now() > deadline) throw new Error(`decision on ${importId}/${uai} still running`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return res;
}

/** The import runs an upload answered with (202 body). */
export function importIdsOf(res: LightMyRequestResponse): number[] {
  return (JSON.parse(res.body) as { imports: { id: number }[] }).imports.map((i) => i.id);
}

/**
 * The app with the real import queue, a real import worker (what the ingester runs) and the
 * identifier allocator, on its own database and Redis prefix.
 */
export async function withEngine(
  t: Parameters<typeof build>[0],
  options: BuildOptions = {},
): Promise<TestApp> {
  const holder: { ctx?: TestApp } = {};
  holder.ctx = await build(t, {
    ...options,
    queue: true,
    identifiers: {
      preview: (input) =>
        engineIdentifierService(holder.ctx!.config, holder.ctx!.db).preview(input),
    },
  });
  const ctx = holder.ctx;
  const deps = createIngestDeps(ctx.config, ctx.db, silent);
  const worker = startWorker(
    ImportQueue,
    (job, _raw, log) => runImportJob(deps, job, { log, progressIntervalMs: 0 }),
    { connection: ctx.redis!.connect(), prefix: ctx.redis!.prefix, log: silent },
  );
  t.teardown(() => worker.close());
  return ctx;
}

/**
 * Everything of one establishment a write could change: the structure, the persons attached to it
 * alone (a person shared with another establishment is left out), their attachments, its classes
 * and groups with their members, its import plans.
 */
export async function snapshotOf(db: Kysely<Database>, structureJointure: string) {
  const structure = await db
    .selectFrom('structure')
    .select(['jointure', 'version', 'record_hash'])
    .where('jointure', '=', structureJointure)
    .execute();
  const persons = await db
    .selectFrom('person')
    .innerJoin('person_structure as ps', 'ps.person_jointure', 'person.jointure')
    .select(['person.jointure', 'person.version', 'person.state', 'person.record_hash'])
    .where('ps.structure_jointure', '=', structureJointure)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('person_structure as other')
            .select('other.person_jointure')
            .whereRef('other.person_jointure', '=', 'person.jointure')
            .where('other.structure_jointure', '<>', structureJointure),
        ),
      ),
    )
    .orderBy('person.jointure')
    .execute();
  const classes = await db
    .selectFrom('class_group')
    .select(['id', 'kind', 'code', 'state', 'version'])
    .where('structure_jointure', '=', structureJointure)
    .orderBy('id')
    .execute();
  const members = await db
    .selectFrom('membership as m')
    .innerJoin('class_group as c', 'c.id', 'm.class_group_id')
    .select(['m.class_group_id', 'm.person_jointure'])
    .where('c.structure_jointure', '=', structureJointure)
    .orderBy('m.class_group_id')
    .orderBy('m.person_jointure')
    .execute();
  const plans = await db
    .selectFrom('import_plan')
    .select(['import_id', 'status'])
    .where('structure_jointure', '=', structureJointure)
    .orderBy('import_id')
    .execute();
  return { structure, persons, classes, members, plans };
}
