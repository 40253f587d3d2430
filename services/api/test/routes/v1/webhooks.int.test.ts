import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendEvents } from '@aaf-sync/db';
import { createLogger } from '@aaf-sync/logger';
import { createSecretBox } from '@aaf-sync/targets';
import { createBackoff, createWebhooksRuntime } from '@aaf-sync/webhooks';
import t from 'tap';
import { A, B, seedSchool } from '../../fixtures/school.js';
import { body, build } from '../../helper.js';
import { until, within } from '@aaf-sync/testing';

/** A receiver on 127.0.0.1 recording each request; `received(n)` resolves at the n-th. */
async function receiver() {
  const got: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const waiting = new Set<{ n: number; resolve: () => void }>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      for (const w of waiting) {
        if (got.length < w.n) continue;
        waiting.delete(w);
        w.resolve();
      }
      res.writeHead(200).end('thanks');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/in`,
    got,
    received: (n: number) =>
      got.length >= n
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiting.add({ n, resolve })),
    close: () => new Promise((r) => server.close(r)),
  };
}

t.test(
  '/v1/webhooks: subscriptions over webhook targets, replay and the delivery log',
  async (t) => {
    const ctx = await build(t, { redis: true, webhooks: { allowPrivate: true } });
    await seedSchool(ctx.db);
    const admin = await ctx.key(['admin']);
    const adminA = await ctx.key(['admin'], [A.uai]);
    const rec = await receiver();
    t.teardown(() => rec.close());
    const call = (
      token: string,
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      payload?: object,
    ) =>
      ctx.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(payload ? { payload } : {}),
      });

    const created = await call(adminA, 'POST', '/v1/webhooks', {
      name: 'scribe-a',
      url: rec.url,
      uais: [A.uai],
      eventTypes: ['account.*'],
    });
    t.equal(created.statusCode, 201, created.body);
    t.equal(created.headers.location, '/v1/webhooks/scribe-a');
    const { secret, subscription } = body<{
      secret: string;
      subscription: Record<string, unknown>;
    }>(created);
    t.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/);
    t.match(subscription, {
      name: 'scribe-a',
      active: true,
      eventTypes: ['account.*'],
      includePersonalData: false,
    });
    t.notOk(
      JSON.stringify((await call(admin, 'GET', '/v1/webhooks')).json()).includes(secret.slice(6)),
      'secret shown once',
    );
    const asTarget = await call(admin, 'GET', '/v1/targets/scribe-a');
    t.match(
      asTarget.json(),
      { kind: 'webhook', hasSecrets: true, options: { url: rec.url } },
      'a target of kind webhook',
    );
    t.notOk(asTarget.body.includes(secret.slice(6)));

    const refusedScope = await call(adminA, 'POST', '/v1/webhooks', {
      name: 'x',
      url: rec.url,
      uais: [B.uai],
    });
    t.equal(refusedScope.statusCode, 403, 'a scoped key cannot subscribe another establishment');
    const refusedWide = await call(adminA, 'POST', '/v1/webhooks', {
      name: 'x',
      url: rec.url,
      uais: [A.uai],
      eventTypes: ['notice.*'],
      academieWide: true,
    });
    t.equal(refusedWide.statusCode, 403, 'académie-wide notices: not for a scoped key');
    t.equal(
      (await call(adminA, 'PATCH', '/v1/webhooks/scribe-a', { academieWide: true })).statusCode,
      403,
    );
    const bHook = await call(admin, 'POST', '/v1/webhooks', {
      name: 'hook-b',
      url: 'https://b.example.org/in',
      uais: [B.uai],
      eventTypes: ['notice.delivery.missing', 'account.disabled'],
      academieWide: true,
    });
    t.equal(bHook.statusCode, 201, bHook.body);
    t.match(bHook.json().subscription, {
      academieWide: true,
      eventTypes: ['notice.delivery.missing', 'account.disabled'],
    });
    const unknownType = await call(admin, 'POST', '/v1/webhooks', {
      name: 'hook-x',
      url: 'https://b.example.org/in',
      uais: [B.uai],
      eventTypes: ['account.c'],
    });
    t.equal(unknownType.statusCode, 400, 'an unknown type is refused');
    t.same(
      body<{ items: { name: string }[] }>(await call(adminA, 'GET', '/v1/webhooks')).items.map(
        (i) => i.name,
      ),
      ['scribe-a'],
      'A sees its own',
    );
    t.equal((await call(adminA, 'GET', '/v1/webhooks/hook-b')).statusCode, 404);
    t.equal((await call(adminA, 'DELETE', '/v1/webhooks/hook-b')).statusCode, 404);
    t.match((await call(admin, 'GET', '/v1/webhooks/hook-b')).json(), { name: 'hook-b' });

    // Loopback is refused when the configuration does not allow it.
    const strict = await build(t, { webhooks: { allowPrivate: false } });
    const strictAdmin = await strict.key(['admin']);
    const loop = await strict.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: { authorization: `Bearer ${strictAdmin}` },
      payload: { name: 'loop', url: 'http://127.0.0.1:9/x', uais: [A.uai] },
    });
    t.equal(loop.statusCode, 400);
    t.match(loop.json(), { code: 'WEBHOOKS_ERR_URL_REFUSED' });

    const patched = await call(adminA, 'PATCH', '/v1/webhooks/scribe-a', {
      eventTypes: null,
      includePersonalData: false,
    });
    t.equal(patched.statusCode, 200, patched.body);
    t.equal(patched.json().eventTypes, null);

    // The targets process delivers (its webhooks runtime, on this test's database and Redis).
    const runtime = createWebhooksRuntime({
      db: ctx.db,
      listenUrl: ctx.config.database.url,
      connection: ctx.redis!.connect(),
      prefix: ctx.redis!.prefix,
      log: createLogger({ level: 'silent' }),
      box: createSecretBox(ctx.config.targets.secretsKey, ctx.config.targets.previousSecretsKeys),
      safety: { allowPrivate: true, connectTimeoutMs: 1_000, totalTimeoutMs: 2_000 },
      backoff: createBackoff([0.05], 0),
      disableAfterMs: 86_400_000,
      pollMs: 3_600_000,
    });
    t.teardown(() => runtime.close());
    await runtime.start();
    await ctx.db.transaction().execute((trx) =>
      appendEvents(trx, [
        {
          entityType: 'person',
          entityKey: 'A-P1',
          op: 'updated',
          version: 9,
          uais: [A.uai],
          changes: { sn: ['Martin', 'Martins'] },
        },
        {
          entityType: 'person',
          entityKey: 'B-P1',
          op: 'updated',
          version: 9,
          uais: [B.uai],
          changes: { sn: ['x', 'y'] },
        },
      ]),
    );
    await within('two deliveries received', rec.received(2), 20_000);
    const payloads = rec.got.map(
      (g) => JSON.parse(g.body) as { type: string; data: { id: string; seq: number } },
    );
    t.same(payloads.map((p) => p.type).sort(), ['account.updated', 'snapshot.published']);
    t.notOk(
      payloads.some((p) => p.data.id === 'B-P1'),
      'never B’s events',
    );
    for (const g of rec.got) {
      const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
      const mac = createHmac('sha256', key)
        .update(`${g.headers['webhook-id']}.${g.headers['webhook-timestamp']}.${g.body}`)
        .digest('base64');
      t.equal(g.headers['webhook-signature'], `v1,${mac}`, 'independently verified');
    }

    await until(
      'recorded',
      async () => (await call(adminA, 'GET', '/v1/webhooks/scribe-a')).json().delivered === 2,
    );
    const log = await call(adminA, 'GET', '/v1/webhooks/scribe-a/deliveries');
    t.equal(log.statusCode, 200);
    const items = body<{ items: Record<string, unknown>[] }>(log).items;
    t.equal(items.length, 2);
    t.match(items[0], {
      attempt: 1,
      ok: true,
      statusCode: 200,
      responseExcerpt: 'thanks',
      deliveryStatus: 'delivered',
    });

    const seq = payloads.find((p) => p.type === 'account.updated')!.data.seq;
    const replayed = await call(adminA, 'POST', `/v1/webhooks/scribe-a/replay?fromSeq=${seq}`);
    t.equal(replayed.statusCode, 200, replayed.body);
    t.match(replayed.json(), { fromSeq: seq, deliveries: 2 });
    await within('two replays received', rec.received(4), 20_000);
    t.same(
      rec.got
        .slice(2)
        .map((g) => g.headers['webhook-id'])
        .sort(),
      rec.got
        .slice(0, 2)
        .map((g) => g.headers['webhook-id'])
        .sort(),
      'same webhook-ids',
    );
    t.equal((await call(adminA, 'POST', '/v1/webhooks/scribe-a/replay?fromSeq=0')).statusCode, 400);

    const rotated = await call(adminA, 'POST', '/v1/webhooks/scribe-a/rotate-secret');
    t.equal(rotated.statusCode, 200);
    const r = body<{ secret: string; previousValidUntil: string }>(rotated);
    t.not(r.secret, secret);
    t.ok(Date.parse(r.previousValidUntil) > Date.now() + 23 * 3_600_000, 'a 24-hour window');
    t.equal(
      (await call(adminA, 'GET', '/v1/webhooks/scribe-a')).json().previousSecretUntil,
      r.previousValidUntil,
    );

    const off = await call(adminA, 'PATCH', '/v1/webhooks/scribe-a', { active: false });
    t.equal(off.json().active, false);
    t.equal((await call(admin, 'GET', '/v1/targets/scribe-a')).json().state, 'suspended');
    t.equal((await call(adminA, 'DELETE', '/v1/webhooks/scribe-a')).statusCode, 204);
    t.equal((await call(admin, 'GET', '/v1/targets/scribe-a')).statusCode, 404);
    t.ok(
      ctx.logs.every((l) => !JSON.stringify(l).includes(secret.slice(6))),
      'the secret is never logged',
    );
  },
);

t.test(
  '/v1/snapshots: manifest, ETag/304, CSV, scope, reports in the account status',
  async (t) => {
    const ctx = await build(t);
    await seedSchool(ctx.db);
    const reader = await ctx.key(['accounts:read'], [A.uai]);
    const get = (url: string, headers: Record<string, string> = {}) =>
      ctx.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${reader}`, ...headers },
      });

    const res = await get(`/v1/snapshots/${A.uai}/pupil?namespace=scribe`);
    t.equal(res.statusCode, 200, res.body);
    const snap = body<{ manifest: Record<string, unknown>; items: Record<string, unknown>[] }>(res);
    t.match(snap.manifest, { uai: A.uai, profile: 'pupil', namespace: 'scribe' });
    t.equal(snap.manifest.rows, snap.items.length);
    t.ok(snap.items.length >= 2);
    const lines = snap.items.map((i) => JSON.stringify(i)).join('\n');
    t.equal(
      snap.manifest.sha256,
      createHash('sha256').update(lines).digest('hex'),
      'manifest hash recomputed',
    );
    t.equal(res.headers['x-snapshot-sha256'], snap.manifest.sha256);
    t.ok(Number(res.headers['x-snapshot-seq']) > 0, 'seq: the head of the log');
    const p1 = snap.items.find((i) => i.id === 'A-P1');
    t.match(p1, {
      givenName: 'Alice',
      sn: 'Martin',
      birthDate: '2010-01-02',
      login: 'amartin',
      profile: 'pupil',
    });
    t.ok((p1?.classes as string[]).length > 0, 'its class');
    t.notOk(res.body.includes('B-P'), 'nothing of B');

    const etag = String(res.headers.etag);
    t.match(etag, /^W\/"j-[0-9a-f]{40}"$/);
    const again = await get(`/v1/snapshots/${A.uai}/pupil?namespace=scribe`, {
      'if-none-match': etag,
    });
    t.equal(again.statusCode, 304);
    t.equal(again.body, '');
    // An event elsewhere moves the seq, not the list: still 304. A change of the list: 200.
    await ctx.db
      .transaction()
      .execute((trx) =>
        appendEvents(trx, [
          { entityType: 'person', entityKey: 'B-P1', op: 'updated', version: 5, uais: [B.uai] },
        ]),
      );
    t.equal(
      (await get(`/v1/snapshots/${A.uai}/pupil?namespace=scribe`, { 'if-none-match': etag }))
        .statusCode,
      304,
    );
    await ctx.db
      .updateTable('person')
      .set({ sn: 'Martins' })
      .where('jointure', '=', 'A-P1')
      .execute();
    const changed = await get(`/v1/snapshots/${A.uai}/pupil?namespace=scribe`, {
      'if-none-match': etag,
    });
    t.equal(changed.statusCode, 200);
    t.not(changed.headers.etag, etag);

    const csv = await get(`/v1/snapshots/${A.uai}/pupil?namespace=scribe`, { accept: 'text/csv' });
    t.equal(csv.statusCode, 200);
    t.match(csv.headers['content-type'], /^text\/csv/);
    t.ok(
      csv.body.startsWith(
        'id,civility,givenName,sn,birthName,birthDate,profile,classes,groups,functions,mail,login\r\n',
      ),
    );
    t.equal(csv.headers['x-snapshot-sha256'], createHash('sha256').update(csv.body).digest('hex'));
    t.equal(Number(csv.headers['x-snapshot-rows']), csv.body.trim().split('\r\n').length - 1);
    t.not(csv.headers.etag, changed.headers.etag, 'one ETag per representation');
    t.equal(
      (
        await get(`/v1/snapshots/${A.uai}/pupil?format=csv&namespace=scribe`, {
          'if-none-match': String(csv.headers.etag),
        })
      ).statusCode,
      304,
    );

    t.equal(
      (await get(`/v1/snapshots/${B.uai}/pupil`)).statusCode,
      403,
      'a scoped key: its UAI only',
    );
    t.equal((await get(`/v1/snapshots/0990999X/pupil`)).statusCode, 403);
    const all = await ctx.key(['accounts:read']);
    t.equal((await ctx.get(all, '/v1/snapshots/0990999X/pupil')).statusCode, 404);
    t.equal((await ctx.get(all, `/v1/snapshots/${A.uai}/nobody`)).statusCode, 400);
    t.equal(
      (await ctx.get(await ctx.key(['directory:read']), `/v1/snapshots/${A.uai}/pupil`)).statusCode,
      403,
    );

    const report = await ctx.inject({
      method: 'POST',
      url: `/v1/snapshots/${A.uai}/reports`,
      headers: { authorization: `Bearer ${reader}` },
      payload: {
        reporter: 'scribe-a',
        items: [
          { id: 'A-P1', login: 'amartin', homePath: '/home/a/amartin', status: 'created' },
          { id: 'B-P1', status: 'present' },
        ],
      },
    });
    t.equal(report.statusCode, 200, report.body);
    t.same(
      report.json(),
      { stored: 1, unknown: ['B-P1'] },
      'another establishment’s account is not stored',
    );
    const account = await ctx.get(reader, '/v1/accounts/jointure:A-P1');
    t.equal(account.statusCode, 200);
    t.match(account.json().serverReports, [
      {
        reporter: 'scribe-a',
        uai: A.uai,
        login: 'amartin',
        homePath: '/home/a/amartin',
        status: 'created',
      },
    ]);
    // A report of the same account from another establishment (a person of both, as far as
    // the reports go): an académie-wide key sees both, the scoped key its own only.
    await ctx.db
      .insertInto('snapshot_report')
      .values({ reporter: 'scribe-b', uai: B.uai, person_jointure: 'A-P1', status: 'present' })
      .execute();
    t.same(
      (await ctx.get(reader, '/v1/accounts/jointure:A-P1'))
        .json()
        .serverReports.map((r: { reporter: string }) => r.reporter),
      ['scribe-a'],
      'a scoped key: its establishments’ reports only',
    );
    t.same(
      (await ctx.get(all, '/v1/accounts/jointure:A-P1'))
        .json()
        .serverReports.map((r: { reporter: string; uai: string }) => [r.reporter, r.uai]),
      [
        ['scribe-a', A.uai],
        ['scribe-b', B.uai],
      ],
      'an académie-wide key: every report, by reporter',
    );
    const foreign = await ctx.inject({
      method: 'POST',
      url: `/v1/snapshots/${B.uai}/reports`,
      headers: { authorization: `Bearer ${reader}` },
      payload: { reporter: 'x', items: [{ id: 'B-P1', status: 'present' }] },
    });
    t.equal(foreign.statusCode, 403);
  },
);
