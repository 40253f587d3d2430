import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { buildApp } from '@aaf-sync/api';
import { createApiKey, type ApiScope } from '@aaf-sync/api-keys';
import { fakeClock, type FakeClock } from '@aaf-sync/calendar';
import { establishmentFeed, saveCalendar } from '@aaf-sync/calendar-store';
import { loadConfig } from '@aaf-sync/config';
import { sql } from '@aaf-sync/db';
import { effectsFor, TICK_TASKS } from '@aaf-sync/calendar-effects';
import { SHIPPED_DRIVERS } from '@aaf-sync/drivers';
import {
  createIngestDeps,
  ingestPaths,
  pendingImportJobs,
  runImportJob,
  type IngestDeps,
} from '@aaf-sync/ingest';
import { createLogger } from '@aaf-sync/logger';
import { recordNotice, runDue, type EffectContext, type RunDueResult } from '@aaf-sync/scheduler';
import {
  createSecretBox,
  createTarget,
  dispatchTarget,
  driverFor,
  findTarget,
  purgeGroupsBatch,
  reconcileBatch,
} from '@aaf-sync/targets';
import { testDb, testLdap, type TeardownHost } from '@aaf-sync/testing';
import {
  createBackoff,
  createSubscription,
  fillOutbox,
  loadSender,
  pumpDeliveries,
  type WebhookPayload,
} from '@aaf-sync/webhooks';
import { startReceiver, type Received } from '../../packages/webhooks/test/receiver.js';
import { A, B } from './school-year-files.js';

const EXAMPLE = resolve(import.meta.dirname, '../../packages/calendar/examples/2025-2026.json');

/** Paris local time (summer time, UTC+2) → instant. */
export const paris = (local: string): Date => new Date(`${local}+02:00`);

const silent = createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));

export const SCRIBE = 'scribe-academie';
export const HOOK = 'hook-schools';

/** One LDAP entry of the Scribe target, as the test reads it back from slapd. */
export interface ScribeEntry {
  readonly dn: string;
  readonly disabled: boolean;
}

/**
 * The académie of the test: its own database, LDAP subtree, archive and upload folders, the
 * shipped 2025–2026 calendar (webhooks resuming on 21 August, between the directory and Scribe),
 * a Scribe target on the real slapd serving both schools, a webhook subscription of both schools
 * posting to a real local receiver, and the scheduler's effect registry (`effectsFor`, as the
 * scheduler process builds it) driven by a fake clock.
 */
export async function schoolYearWorld(t: TeardownHost, work: string, start: Date) {
  const { db, url } = await testDb(t);
  const ldap = await testLdap(t);
  const archiveDir = join(work, 'archive');
  const uploadDir = join(work, 'uploads');
  mkdirSync(archiveDir, { recursive: true });
  mkdirSync(uploadDir, { recursive: true });
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: url,
    AAF_ARCHIVE_DIR: archiveDir,
    AAF_UPLOAD_DIR: uploadDir,
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    API_KEY_CACHE_SECONDS: '0',
  });
  const box = createSecretBox(config.targets.secretsKey);
  const clock: FakeClock = fakeClock(start);

  const document = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as {
    feed: { targets: { byKind: Record<string, { resumeOn?: string }> } };
  };
  document.feed.targets.byKind.webhook = { resumeOn: '2025-08-21' };
  await saveCalendar(db, { document, actor: 'test' });

  // The Scribe académie branch, then the target (it serves both schools).
  const branch = `ou=ac-test,ou=education,${ldap.baseDn}`;
  await ldap.client.add(`ou=education,${ldap.baseDn}`, {
    objectClass: ['organizationalUnit'],
    ou: 'education',
  });
  await ldap.client.add(branch, { objectClass: ['organizationalUnit'], ou: 'ac-test' });
  await createTarget(
    db,
    box,
    {
      kind: 'scribe',
      name: SCRIBE,
      uais: [A.uai, B.uai],
      options: { url: ldap.url, baseDn: branch, bindDn: ldap.bindDn },
      secrets: { bindPassword: ldap.bindPassword },
    },
    'test',
  );
  const scribe = driverFor(SHIPPED_DRIVERS, box, await findTarget(db, SCRIBE), { db });
  t.teardown(() => scribe.driver.close?.());

  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const subscriptionContext = {
    db,
    box,
    allowPrivate: true,
    rotationWindowMs: config.webhooks.rotationWindowMs,
  };
  await createSubscription(
    subscriptionContext,
    { name: HOOK, url: receiver.url, uais: [A.uai, B.uai], eventTypes: ['account.*', 'notice.*'] },
    'test',
  );
  const hookId = (await findTarget(db, HOOK)).id;

  // The engine as the ingester builds it, on the fake clock (calendar gate and run times).
  const ingest: IngestDeps = createIngestDeps(config, db, silent, { clock });
  const scheduler = { db, clock, log: silent, effects: effectsFor(config) };
  const tickContext: EffectContext = {
    db,
    clock,
    log: silent,
    notify: async (notice) => {
      await recordNotice(db, notice);
    },
  };
  // The REST API on the same database and clock (principals use it with their scoped keys).
  const api = await buildApp({ config, db, log: silent, clock });
  t.teardown(() => api.close());
  await api.ready();
  let keys = 0;
  let seen = 0;

  return {
    db,
    clock,
    archiveDir,
    receiver,
    async targetState(name: string) {
      const row = await db
        .selectFrom('target')
        .select('state')
        .where('name', '=', name)
        .executeTakeFirstOrThrow();
      return row.state;
    },

    /** A new API key (an establishment's when `uais` are given): its token. */
    async key(scopes: readonly ApiScope[], uais: readonly string[] | null): Promise<string> {
      const { token } = await createApiKey(db, {
        name: `key-${++keys}`,
        scopes,
        uais,
        actor: 'test',
      });
      return token;
    },

    /** One API request with a key; resolves to the status and the JSON body. */
    async request(
      token: string,
      method: 'GET' | 'PUT' | 'POST',
      url: string,
      body?: Record<string, unknown>,
    ): Promise<{ status: number; body: Record<string, unknown> }> {
      const res = await api.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(body ? { payload: body } : {}),
      });
      return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
    },

    /** What the ingester does with an inbox delivery: import it, then archive it. */
    async receive(folder: string) {
      const { imports } = await ingestPaths(ingest, [folder], {
        source: 'inbox',
        actor: 'ingester',
      });
      const label = `${imports.map((r) => r.importId).join('+')}-${basename(folder)}`;
      mkdirSync(join(archiveDir, label));
      cpSync(folder, join(archiveDir, label, basename(folder)), { recursive: true });
      return imports[0]!;
    },

    /** The ingester's sweep: the runs queued (by the calendar's resumption) are imported. */
    async sweepQueued() {
      const jobs = await pendingImportJobs(db);
      for (const job of jobs) await runImportJob(ingest, job, { log: silent });
      return jobs.length;
    },

    /**
     * One scheduler job at `local` (Paris time): the clock moves there, every transition due
     * runs (runDue), then the tasks of every job (the year transition), as the scheduler does.
     */
    async at(local: string): Promise<RunDueResult> {
      clock.set(paris(local));
      const result = await runDue(scheduler);
      for (const task of TICK_TASKS) await task(tickContext);
      return result;
    },

    /** The targets process: events dispatched to the Scribe rows, the worker applies them. */
    async scribeSync() {
      while (await dispatchTarget(db, scribe.target.id));
      const total = { applied: 0, failed: 0 };
      for (;;) {
        const r = await reconcileBatch(db, scribe.target, scribe.driver, { batchSize: 100 });
        total.applied += r.applied;
        total.failed += r.failed;
        if (r.taken === 0) break;
      }
      // Then the groups a campaign deleted, as the targets process does after the accounts.
      while ((await purgeGroupsBatch(db, scribe.target, scribe.driver, { batchSize: 100 })).taken);
      return total;
    },

    /** The Scribe groups (`cn`) on slapd under an establishment's branch. */
    async ldapGroups(uai: string): Promise<string[]> {
      const { searchEntries } = await ldap.client.search(branch, {
        scope: 'sub',
        filter: '(objectClass=posixGroup)',
        attributes: ['cn'],
      });
      return searchEntries.filter((e) => e.dn.includes(`ou=${uai},`)).map((e) => String(e.cn));
    },

    /**
     * The targets process for the webhook subscription: its outbox filled from the log, then
     * delivered to the receiver (retries are not the subject here: the deliveries use the wall
     * clock, as the rows' times are PostgreSQL's). Resolves to the payloads received since the
     * last call.
     */
    async webhookSync(): Promise<WebhookPayload[]> {
      while (await fillOutbox(db, hookId));
      const options = {
        db,
        box,
        log: silent,
        safety: { allowPrivate: true, connectTimeoutMs: 2_000, totalTimeoutMs: 5_000 },
        backoff: createBackoff([0.05], 0),
        concurrency: 16,
        disableAfterMs: 86_400_000,
        now: () => Date.now(),
      };
      for (;;) {
        const sender = await loadSender(options, hookId);
        if (!sender) break;
        const pass = await pumpDeliveries(options, hookId, sender, {
          claimUntil: Date.now() + 60_000,
          closing: () => false,
        });
        if (pass.failed + pass.dead > 0) throw new Error('a webhook delivery failed');
        if (pass.taken === 0) break;
      }
      const fresh = receiver.received.slice(seen);
      seen = receiver.received.length;
      return fresh
        .map((r: Received) => JSON.parse(r.body) as WebhookPayload)
        .sort((a, b) => a.data.seq - b.data.seq);
    },

    /** Every user entry the Scribe target holds on slapd, by uid. */
    async ldapUsers(): Promise<Map<string, ScribeEntry>> {
      const { searchEntries } = await ldap.client.search(branch, {
        scope: 'sub',
        filter: '(uid=*)',
        attributes: ['uid', 'shadowExpire'],
      });
      return new Map(
        searchEntries.map((e) => [
          String(e.uid),
          { dn: e.dn, disabled: String(e.shadowExpire ?? '') === '1' },
        ]),
      );
    },

    /** The Scribe login of a person (allocated at its creation, kept for ever). */
    async login(jointure: string): Promise<string> {
      const { rows } = await sql<{ value: string }>`select i.value from identifier i
        join person p on p.id = i.person_id
        where p.jointure = ${jointure} and i.namespace = 'scribe' and i.status = 'primary'`.execute(
        db,
      );
      if (!rows[0]) throw new Error(`no scribe login for ${jointure}`);
      return rows[0].value;
    },

    async personId(jointure: string): Promise<number> {
      const row = await db
        .selectFrom('person')
        .select('id')
        .where('jointure', '=', jointure)
        .executeTakeFirstOrThrow();
      return Number(row.id);
    },

    /** The feed state of each consumer of an establishment, as `consumer=state`. */
    async feed(uai: string): Promise<Record<string, string>> {
      const f = await establishmentFeed(db, uai, clock.now());
      return Object.fromEntries(f.consumers.map((c) => [c.consumer, c.state]));
    },

    async notices(kind: string) {
      return db.selectFrom('notice').selectAll().where('kind', '=', kind).orderBy('id').execute();
    },
  };
}

export type SchoolYearWorld = Awaited<ReturnType<typeof schoolYearWorld>>;

/** `type id` of webhook payloads (accounts by jointure, notices by kind). */
export const summary = (payloads: readonly WebhookPayload[]): string[] =>
  payloads.map((p) =>
    p.data.entity === 'notice'
      ? `${p.type}${p.data.establishments.length ? ` ${p.data.establishments.join(',')}` : ''}`
      : `${p.type} ${p.data.id}`,
  );
