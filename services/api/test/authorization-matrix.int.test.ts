import { readFileSync } from 'node:fs';
import { previewCampaign } from '@aaf-sync/account-lifecycle';
import { saveCalendar } from '@aaf-sync/calendar-store';
import { createManagedGroup, runYearTransition } from '@aaf-sync/groups';
import { recordNotice } from '@aaf-sync/scheduler';
import t from 'tap';
import { SCOPES, type ApiScope } from '@aaf-sync/api-keys';
import {
  completeWithoutPupils,
  EST_A,
  EST_B,
  generatedDeliveries,
  snapshotOf,
  submit,
  withEngine,
  decide as decidePlan,
} from './deliveries.js';
import { A, B, seedSchool } from './fixtures/school.js';
import { build } from './helper.js';

interface Case {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  /** The OpenAPI path it exercises (to check that every /v1 operation is covered). */
  readonly path: string;
  readonly scopes: readonly ApiScope[];
  readonly payload?: Record<string, unknown>;
  /** Statuses of an allowed call (default 200, or 503 when the app lacks the service). */
  readonly ok?: readonly number[];
}

const calendarExample = JSON.parse(
  readFileSync(
    new URL('../../../packages/calendar/examples/2025-2026.json', import.meta.url),
    'utf8',
  ),
) as Record<string, unknown>;

/** Markers of each establishment's data (names, jointures, UAIs, identifiers, class codes). */
const MARKERS = {
  [A.uai]: /A-P\d|A-R\d|A-T\d|S-A1|0990001N|Alpha|Lefèvre|Lefevre|a\.martin|amartin|LATIN/,
  [B.uai]: /B-P\d|B-R\d|B-T\d|S-B2|0990002P|Zorglub|ZORGLUB|x\.zorglub/,
};

/** The response without the echo of the request (instance/detail of a problem name the URL). */
function payloadOf(text: string): string {
  return text.replace(/"(instance|detail)":"(?:[^"\\]|\\.)*"/g, '');
}

t.test('authorization matrix: every route × every scope × a foreign establishment', async (t) => {
  const ctx = await build(t);
  const school = await seedSchool(ctx.db);
  // Groups created through the API in each establishment (names carry the markers), one of them
  // for the DELETE case; a year transition report for each (an initialisation complete applied).
  const managed: Record<string, { id: number; del: number }> = {};
  for (const [uai, marker] of [
    [A.uai, 'Alpha'],
    [B.uai, 'ZORGLUB'],
  ] as const) {
    const teacher = school.ids[`${marker === 'Alpha' ? 'A' : 'B'}-T1`]!;
    const make = async (name: string) =>
      (
        await createManagedGroup(
          ctx.db,
          { uai, name, lifetime: 'school-year', managers: [teacher], members: [] },
          { actor: 'test', now: new Date() },
        )
      ).id;
    managed[uai] = { id: await make(`${marker} club`), del: await make(`${marker} old club`) };
  }
  /** A departed-staff campaign (approval by the establishments), previewed below. */
  let campaign = 0;
  // One notice per establishment, naming it (its marker), for the notices inbox.
  const noticeIds = new Map<string, number>();
  for (const [uai, name] of [
    [A.uai, 'Alpha'],
    [B.uai, 'Zorglub'],
  ] as const) {
    const n = await recordNotice(ctx.db, {
      kind: 'groups.warning',
      uais: [uai],
      managers: [1],
      title: `Groups of ${name} will be deleted`,
      body: `${name}: extend them before 15 July.`,
      dedupeKey: `matrix/${uai}`,
    });
    noticeIds.set(uai, n.id);
  }
  const cases = (uai: string, jointure: string, person: string): Case[] => [
    { method: 'GET', url: '/v1/changes?limit=1000', path: '/v1/changes', scopes: ['changes:read'] },
    {
      method: 'GET',
      url: '/v1/establishments',
      path: '/v1/establishments',
      scopes: ['directory:read', 'changes:read'],
    },
    {
      method: 'GET',
      url: `/v1/establishments/${uai}`,
      path: '/v1/establishments/{uai}',
      scopes: ['directory:read', 'changes:read'],
    },
    {
      method: 'GET',
      url: `/v1/establishments/${uai}/reports/stale-teaching-links`,
      path: '/v1/establishments/{uai}/reports/stale-teaching-links',
      scopes: ['directory:read'],
    },
    {
      method: 'GET',
      url: `/v1/establishments/${uai}/reports/duplicate-relatives`,
      path: '/v1/establishments/{uai}/reports/duplicate-relatives',
      scopes: ['directory:read'],
    },
    {
      method: 'GET',
      url: '/v1/persons?limit=1000',
      path: '/v1/persons',
      scopes: ['directory:read', 'changes:read', 'accounts:read'],
    },
    {
      method: 'GET',
      url: `/v1/persons?q=${person === 'A-P1' ? 'martin' : 'zorglub'}`,
      path: '/v1/persons',
      scopes: ['directory:read', 'changes:read', 'accounts:read'],
    },
    {
      method: 'GET',
      url: '/v1/classes',
      path: '/v1/classes',
      scopes: ['directory:read', 'changes:read'],
    },
    {
      method: 'GET',
      url: `/v1/classes/${jointure}$${person === 'A-P1' ? '3A' : '2ZORGLUB'}`,
      path: '/v1/classes/{key}',
      scopes: ['directory:read', 'changes:read'],
    },
    {
      method: 'GET',
      url: '/v1/groups',
      path: '/v1/groups',
      scopes: ['directory:read', 'changes:read'],
    },
    {
      method: 'GET',
      url: `/v1/groups/${jointure}$${person === 'A-P1' ? 'LATIN' : 'ZORGLUB-OLD'}`,
      path: '/v1/groups/{key}',
      scopes: ['directory:read', 'changes:read'],
    },
    {
      method: 'GET',
      url: `/v1/accounts/${person}`,
      path: '/v1/accounts/{id}',
      scopes: ['accounts:read'],
    },
    {
      method: 'GET',
      url: `/v1/accounts/${person}/history`,
      path: '/v1/accounts/{id}/history',
      scopes: ['accounts:read'],
    },
    // Admin only; no Scribe target here: an allowed call answers 409 (no password target).
    {
      method: 'POST',
      url: `/v1/accounts/${person}/password-reset`,
      path: '/v1/accounts/{id}/password-reset',
      scopes: [],
      ok: [409],
    },
    {
      method: 'GET',
      url: '/v1/imports',
      path: '/v1/imports',
      scopes: ['imports:read', 'imports:write'],
    },
    {
      method: 'GET',
      url: `/v1/imports/${school.importId}`,
      path: '/v1/imports/{id}',
      scopes: ['imports:read', 'imports:write'],
    },
    {
      method: 'GET',
      url: `/v1/imports/${school.importId}/rejects`,
      path: '/v1/imports/{id}/rejects',
      scopes: ['imports:read', 'imports:write'],
    },
    {
      method: 'GET',
      url: `/v1/imports/${school.importId}/rejects.csv`,
      path: '/v1/imports/{id}/rejects.csv',
      scopes: ['imports:read', 'imports:write'],
    },
    {
      method: 'GET',
      url: `/v1/imports/${school.importId}/warnings`,
      path: '/v1/imports/{id}/warnings',
      scopes: ['imports:read', 'imports:write'],
    },
    {
      method: 'POST',
      url: `/v1/imports/${school.importId}/plans/${uai}/approve`,
      path: '/v1/imports/{id}/plans/{uai}/approve',
      scopes: ['imports:write'],
    },
    {
      method: 'POST',
      url: `/v1/imports/${school.importId}/plans/${uai}/discard`,
      path: '/v1/imports/{id}/plans/{uai}/discard',
      scopes: ['imports:write'],
    },
    { method: 'POST', url: '/v1/imports', path: '/v1/imports', scopes: ['imports:write'] },
    {
      method: 'GET',
      url: '/v1/identifiers/preview?givenName=Jean&sn=Dupont',
      path: '/v1/identifiers/preview',
      scopes: ['accounts:read'],
    },
    // Targets: admin only (an establishment-scoped admin manages its own).
    { method: 'GET', url: '/v1/targets', path: '/v1/targets', scopes: [] },
    {
      method: 'POST',
      url: '/v1/targets',
      path: '/v1/targets',
      scopes: [],
      payload: { kind: 'noop', name: `new-${uai.toLowerCase()}`, uais: [uai] },
      ok: [201],
    },
    ...(['GET', 'PATCH'] as const).map((method) => ({
      method,
      url: `/v1/targets/noop-${uai.toLowerCase()}`,
      path: '/v1/targets/{name}',
      scopes: [],
      ...(method === 'PATCH' ? { payload: {} } : {}),
    })),
    ...(['suspend', 'resume', 'reset'] as const).map((action) => ({
      method: 'POST' as const,
      url: `/v1/targets/noop-${uai.toLowerCase()}/${action}`,
      path: `/v1/targets/{name}/${action}`,
      scopes: [],
    })),
    {
      method: 'POST',
      url: `/v1/targets/noop-${uai.toLowerCase()}/reconcile?dryRun=true`,
      path: '/v1/targets/{name}/reconcile',
      scopes: [],
    },
    ...(['status', 'provisioning'] as const).map((what) => ({
      method: 'GET' as const,
      url: `/v1/targets/noop-${uai.toLowerCase()}/${what}`,
      path: `/v1/targets/{name}/${what}`,
      scopes: [],
    })),
    // A noop target never has initial passwords: an allowed call answers 404 (none issued).
    {
      method: 'GET',
      url: `/v1/targets/noop-${uai.toLowerCase()}/credentials?uai=${uai}`,
      path: '/v1/targets/{name}/credentials',
      scopes: [],
      ok: [404],
    },
    {
      method: 'DELETE',
      url: `/v1/targets/new-${uai.toLowerCase()}`,
      path: '/v1/targets/{name}',
      scopes: [],
      ok: [204],
    },
    // KoXo files and held snapshots: a noop target has none, so an allowed call answers 404.
    // Files also admit accounts:read, but only limited to establishments (the site's agent): an
    // unrestricted non-admin key is refused like the scopes not listed here.
    {
      method: 'GET',
      url: `/v1/targets/noop-${uai.toLowerCase()}/files`,
      path: '/v1/targets/{name}/files',
      scopes: [],
      ok: [404],
    },
    {
      method: 'GET',
      url: `/v1/targets/noop-${uai.toLowerCase()}/files/${uai}-pupil.csv`,
      path: '/v1/targets/{name}/files/{file}',
      scopes: [],
      ok: [404],
    },
    {
      method: 'GET',
      url: `/v1/targets/noop-${uai.toLowerCase()}/readback`,
      path: '/v1/targets/{name}/readback',
      scopes: [],
      ok: [404],
    },
    {
      method: 'GET',
      url: `/v1/targets/noop-${uai.toLowerCase()}/snapshots`,
      path: '/v1/targets/{name}/snapshots',
      scopes: [],
      ok: [404],
    },
    ...(['approve', 'discard'] as const).map((action) => ({
      method: 'POST' as const,
      url: `/v1/targets/noop-${uai.toLowerCase()}/snapshots/${uai}/1/${action}`,
      path: `/v1/targets/{name}/snapshots/{uai}/{version}/${action}`,
      scopes: [],
      ok: [404],
    })),
    // Webhook subscriptions: admin only (an establishment-scoped admin manages its own).
    { method: 'GET', url: '/v1/webhooks', path: '/v1/webhooks', scopes: [] },
    {
      method: 'POST',
      url: '/v1/webhooks',
      path: '/v1/webhooks',
      scopes: [],
      payload: {
        name: `new-hook-${uai.toLowerCase()}`,
        url: 'https://hooks.example.org/in',
        uais: [uai],
      },
      ok: [201],
    },
    ...(['GET', 'PATCH'] as const).map((method) => ({
      method,
      url: `/v1/webhooks/hook-${uai.toLowerCase()}`,
      path: '/v1/webhooks/{name}',
      scopes: [],
      ...(method === 'PATCH' ? { payload: {} } : {}),
    })),
    {
      method: 'POST',
      url: `/v1/webhooks/hook-${uai.toLowerCase()}/rotate-secret`,
      path: '/v1/webhooks/{name}/rotate-secret',
      scopes: [],
    },
    {
      method: 'POST',
      url: `/v1/webhooks/hook-${uai.toLowerCase()}/replay?fromSeq=1`,
      path: '/v1/webhooks/{name}/replay',
      scopes: [],
    },
    {
      method: 'GET',
      url: `/v1/webhooks/hook-${uai.toLowerCase()}/deliveries`,
      path: '/v1/webhooks/{name}/deliveries',
      scopes: [],
    },
    {
      method: 'DELETE',
      url: `/v1/webhooks/new-hook-${uai.toLowerCase()}`,
      path: '/v1/webhooks/{name}',
      scopes: [],
      ok: [204],
    },
    // Snapshots: the pedagogical server's agent (personal data: accounts:read).
    {
      method: 'GET',
      url: `/v1/snapshots/${uai}/pupil`,
      path: '/v1/snapshots/{uai}/{profile}',
      scopes: ['accounts:read'],
    },
    {
      method: 'POST',
      url: `/v1/snapshots/${uai}/reports`,
      path: '/v1/snapshots/{uai}/reports',
      scopes: ['accounts:read'],
      payload: { reporter: 'agent', items: [{ id: person, status: 'present' }] },
    },
    // The calendar: the document is admin (académie-wide keys only may change it); what happens
    // next is for readers; an establishment's blocking override is written by its admin key.
    { method: 'GET', url: '/v1/calendar', path: '/v1/calendar', scopes: [] },
    {
      method: 'PUT',
      url: '/v1/calendar',
      path: '/v1/calendar',
      scopes: [],
      payload: { document: calendarExample },
    },
    { method: 'GET', url: '/v1/calendar/versions', path: '/v1/calendar/versions', scopes: [] },
    {
      method: 'GET',
      url: '/v1/calendar/transitions?failing=true',
      path: '/v1/calendar/transitions',
      scopes: [],
    },
    {
      method: 'GET',
      url: '/v1/calendar/upcoming?days=30',
      path: '/v1/calendar/upcoming',
      scopes: ['directory:read', 'changes:read'],
    },
    {
      method: 'GET',
      url: '/v1/calendar/deliveries?days=7',
      path: '/v1/calendar/deliveries',
      scopes: ['imports:read', 'imports:write'],
    },
    {
      method: 'GET',
      url: `/v1/establishments/${uai}/feed`,
      path: '/v1/establishments/{uai}/feed',
      scopes: ['directory:read', 'changes:read'],
    },
    {
      method: 'GET',
      url: `/v1/establishments/${uai}/blocking`,
      path: '/v1/establishments/{uai}/blocking',
      scopes: ['directory:read', 'accounts:read'],
    },
    {
      method: 'PUT',
      url: `/v1/establishments/${uai}/blocking`,
      path: '/v1/establishments/{uai}/blocking',
      scopes: [],
      payload: { message: 'Rentrée le 2 septembre' },
    },
    {
      method: 'DELETE',
      url: `/v1/establishments/${uai}/blocking`,
      path: '/v1/establishments/{uai}/blocking',
      scopes: [],
      ok: [204],
    },
    {
      method: 'GET',
      url: `/v1/establishments/${uai}/year-transition`,
      path: '/v1/establishments/{uai}/year-transition',
      scopes: ['directory:read'],
    },
    // Groups created through the API: read with directory:read, written by admin keys (an
    // establishment's admin key: its own groups only).
    {
      method: 'GET',
      url: `/v1/managed-groups?uai=${uai}`,
      path: '/v1/managed-groups',
      scopes: ['directory:read'],
    },
    {
      method: 'POST',
      url: '/v1/managed-groups',
      path: '/v1/managed-groups',
      scopes: [],
      payload: { uai, name: `new group ${uai}`, lifetime: 'unlimited' },
      ok: [201],
    },
    {
      method: 'GET',
      url: `/v1/managed-groups/${managed[uai]!.id}`,
      path: '/v1/managed-groups/{id}',
      scopes: ['directory:read'],
    },
    {
      method: 'PATCH',
      url: `/v1/managed-groups/${managed[uai]!.id}`,
      path: '/v1/managed-groups/{id}',
      scopes: [],
      payload: { description: 'Le mercredi' },
    },
    ...(['managers', 'members'] as const).map((role) => ({
      method: 'PUT' as const,
      url: `/v1/managed-groups/${managed[uai]!.id}/${role}`,
      path: `/v1/managed-groups/{id}/${role}`,
      scopes: [],
      payload: { persons: [school.ids[`${person.slice(0, 1)}-T1`]!] },
    })),
    {
      method: 'POST',
      url: `/v1/managed-groups/${managed[uai]!.id}/extend`,
      path: '/v1/managed-groups/{id}/extend',
      scopes: [],
      payload: {},
    },
    {
      method: 'DELETE',
      url: `/v1/managed-groups/${managed[uai]!.del}`,
      path: '/v1/managed-groups/{id}',
      scopes: [],
      ok: [204],
    },
    // Deletion campaigns: lists name persons (accounts:read, scoped to its UAIs); an
    // establishment's approval takes its admin key (409: nothing of it to approve here).
    { method: 'GET', url: '/v1/campaigns', path: '/v1/campaigns', scopes: ['accounts:read'] },
    {
      method: 'GET',
      url: `/v1/campaigns/${campaign}`,
      path: '/v1/campaigns/{id}',
      scopes: ['accounts:read'],
    },
    {
      method: 'GET',
      url: `/v1/campaigns/${campaign}/preview?uai=${uai}`,
      path: '/v1/campaigns/{id}/preview',
      scopes: ['accounts:read'],
    },
    {
      method: 'POST',
      url: `/v1/campaigns/${campaign}/approve`,
      path: '/v1/campaigns/{id}/approve',
      scopes: [],
      payload: { uai },
      ok: [200, 409],
    },
    // Notices: an inbox; a scoped key reads (and marks read) the notices of its establishments.
    {
      method: 'GET',
      url: '/v1/notices?limit=100',
      path: '/v1/notices',
      scopes: ['directory:read', 'changes:read'],
    },
    {
      method: 'GET',
      url: '/v1/notices?manager=1',
      path: '/v1/notices',
      scopes: ['directory:read', 'changes:read'],
    },
    {
      method: 'POST',
      url: `/v1/notices/${noticeIds.get(uai)}/read`,
      path: '/v1/notices/{id}/read',
      scopes: ['directory:read', 'changes:read'],
    },
  ];
  await saveCalendar(ctx.db, { document: calendarExample, actor: 'test' });
  await ctx.db
    .insertInto('import_run')
    .values({
      kind: 'complete',
      scope: 'ENT',
      level: '2d',
      file_date: '2025-08-23',
      source: 'test',
      delivery_name: 'ENT_Complet_20250823.tgz',
      content_hash: 'init',
      status: 'applied',
      summary: JSON.stringify({}),
      uais_touched: [A.uai, B.uai],
      finished_at: new Date('2025-08-23T05:00:00Z'),
    })
    .execute();
  await runYearTransition(ctx.db, { now: new Date('2025-08-25T06:00:00Z') });
  for (const uai of [A.uai, B.uai]) {
    const created = await ctx.inject({
      method: 'POST',
      url: '/v1/targets',
      headers: { authorization: `Bearer ${await ctx.key(['admin'])}` },
      payload: { kind: 'noop', name: `noop-${uai.toLowerCase()}`, uais: [uai] },
    });
    t.equal(created.statusCode, 201);
    const hook = await ctx.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: { authorization: `Bearer ${await ctx.key(['admin'])}` },
      payload: {
        name: `hook-${uai.toLowerCase()}`,
        url: 'https://hooks.example.org/in',
        uais: [uai],
      },
    });
    t.equal(hook.statusCode, 201);
  }
  campaign = (
    await previewCampaign(ctx.db, {
      schoolYear: '2025-2026',
      name: 'noop-departed-staff',
      kind: 'departed-staff',
      targetKind: 'noop',
      targetName: null,
      approval: 'establishment',
      previewAt: new Date('2025-10-01T00:00:00Z'),
      runAt: new Date('2025-11-03T19:00:00Z'),
    })
  ).campaign.id;
  const aCases = cases(A.uai, A.jointure, 'A-P1');
  const bCases = cases(B.uai, B.jointure, 'B-P1');

  t.test('the matrix covers every /v1 operation of the OpenAPI document', async (t) => {
    const doc = ctx.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .filter(([p]) => p.startsWith('/v1'))
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    const covered = [...new Set(aCases.map((c) => `${c.method} ${c.path}`))].sort();
    t.same(covered, documented);
  });

  const keys = new Map<string, string>();
  for (const scope of SCOPES) keys.set(`${scope}|*`, await ctx.key([scope]));
  for (const scope of SCOPES) keys.set(`${scope}|${A.uai}`, await ctx.key([scope], [A.uai]));
  for (const scope of SCOPES) keys.set(`${scope}|${B.uai}`, await ctx.key([scope], [B.uai]));
  const call = (c: Case, token: string) =>
    ctx.inject({
      method: c.method,
      url: c.url,
      headers: { authorization: `Bearer ${token}` },
      ...(c.payload ? { payload: c.payload } : {}),
    });

  t.test('without a key (or with a malformed one) every route answers 401', async (t) => {
    for (const c of aCases) {
      for (const authorization of [undefined, 'Bearer ', 'Basic YTpi', `Bearer aafk_x_y`]) {
        const res = await ctx.inject({
          method: c.method,
          url: c.url,
          ...(authorization === undefined ? {} : { headers: { authorization } }),
        });
        t.equal(res.statusCode, 401, `${authorization ?? 'no key'} → ${c.method} ${c.url}`);
        t.equal(res.headers['www-authenticate'], 'Bearer');
        t.notOk(
          MARKERS[A.uai]!.test(payloadOf(res.body)) || MARKERS[B.uai]!.test(payloadOf(res.body)),
        );
      }
    }
  });

  t.test('each scope is let in exactly where it is listed (admin everywhere)', async (t) => {
    for (const c of aCases) {
      for (const scope of SCOPES) {
        const res = await call(c, keys.get(`${scope}|*`)!);
        const allowed = scope === 'admin' || c.scopes.includes(scope);
        if (allowed) {
          // Writes pass authorization, then: 415 (upload without files), 202 (a decision
          // queued) or 409 (one is already pending for that plan); 503: no identifier service.
          t.ok(
            (c.ok ?? [200, 202, 409, 415, 503]).includes(res.statusCode),
            `${scope} → ${c.method} ${c.url}: ${res.statusCode}`,
          );
        } else {
          t.equal(res.statusCode, 403, `${scope} ✗ ${c.method} ${c.url}`);
          t.match(res.json(), { code: 'API_ERR_FORBIDDEN' });
        }
      }
    }
  });

  t.test('a key of one establishment gets nothing of the other', async (t) => {
    for (const [own, foreignCases, foreignUai] of [
      [A.uai, bCases, B.uai],
      [B.uai, aCases, A.uai],
    ] as const) {
      for (const c of foreignCases) {
        for (const scope of SCOPES) {
          if (scope !== 'admin' && !c.scopes.includes(scope)) continue;
          const res = await call(c, keys.get(`${scope}|${own}`)!);
          const what = `${scope}@${own} → ${c.method} ${c.url}: ${res.statusCode}`;
          t.ok([200, 403, 404, 415, 503].includes(res.statusCode), what);
          t.notOk(
            MARKERS[foreignUai]!.test(payloadOf(res.body)),
            `no data of ${foreignUai} in ${what}`,
          );
        }
      }
    }
  });

  t.test('an unrestricted key sees both (the markers are meaningful)', async (t) => {
    const res = await ctx.get(keys.get('admin|*')!, '/v1/persons?limit=1000');
    t.ok(MARKERS[A.uai]!.test(res.body) && MARKERS[B.uai]!.test(res.body));
    const own = await ctx.get(keys.get(`directory:read|${A.uai}`)!, '/v1/persons?limit=1000');
    t.ok(MARKERS[A.uai]!.test(own.body), 'a scoped key sees its own establishment');
  });
});

t.test('write routes with real deliveries never change a foreign establishment', async (t) => {
  const ctx = await withEngine(t);
  const { complete, delta } = await generatedDeliveries(t.testdir());
  const admin = await ctx.key(['admin']);
  const first = await submit(ctx, admin, complete);
  t.equal(first.statusCode, 202, first.body);
  const both = async () => ({
    a: await snapshotOf(ctx.db, EST_A.jointure),
    b: await snapshotOf(ctx.db, EST_B.jointure),
  });
  const runs = async () => (await ctx.db.selectFrom('import_run').select('id').execute()).length;

  t.test('no key or a key without imports:write: nothing is imported', async (t) => {
    const before = await both();
    const runsBefore = await runs();
    const refused: [string | null, number][] = [
      [null, 401],
      ['aafk_0000000000_' + 'x'.repeat(43), 401],
      [await ctx.key(['imports:read']), 403],
      [await ctx.key(['directory:read', 'changes:read', 'accounts:read']), 403],
      [await ctx.key(['imports:read'], [EST_A.uai]), 403],
    ];
    for (const [token, status] of refused) {
      for (const dryRun of [{}, { dryRun: 'true' }] as Record<string, string>[]) {
        const res = await submit(ctx, token, delta, dryRun);
        t.equal(res.statusCode, status, `${token ? token.slice(0, 16) : 'no key'}: ${res.body}`);
      }
    }
    t.same(await both(), before, 'neither establishment changed');
    t.equal(await runs(), runsBefore, 'no import run was even recorded');
  });

  t.test('held plans: a key decides its own establishment only', async (t) => {
    const held = await submit(ctx, admin, completeWithoutPupils(complete));
    t.equal(held.statusCode, 202, held.body);
    const plans = await ctx.db
      .selectFrom('import_plan')
      .select(['import_id', 'uai', 'status'])
      .where('status', '=', 'held')
      .execute();
    t.same(plans.map((p) => p.uai).sort(), [EST_A.uai, EST_B.uai], 'both plans are held');
    const importId = plans[0]!.import_id;
    const decide = (token: string | null, uai: string, decision: 'approve' | 'discard') =>
      decidePlan(ctx, token, importId, uai, decision);
    const writerA = await ctx.key(['imports:write'], [EST_A.uai]);
    const adminA = await ctx.key(['admin'], [EST_A.uai]);
    const readerB = await ctx.key(['imports:read'], [EST_B.uai]);
    const before = await both();
    t.ok(before.b.persons.length > 50 && before.b.classes.length > 0, 'B has data to protect');
    for (const decision of ['approve', 'discard'] as const) {
      for (const [who, token, status] of [
        ['no key', null, 401],
        ['imports:read of B', readerB, 403],
        ['imports:write of A', writerA, 404],
        ['admin of A', adminA, 404],
      ] as const) {
        const res = await decide(token, EST_B.uai, decision);
        t.equal(res.statusCode, status, `${who} → ${decision} B: ${res.body}`);
        if (status === 404) t.notMatch(res.body, /910002|held/, 'the answer tells nothing of B');
      }
    }
    t.same((await both()).b, before.b, 'B is untouched and its plan still held');

    const own = await decide(writerA, EST_A.uai, 'approve');
    t.equal(own.statusCode, 202, own.body);
    const after = await both();
    t.notSame(after.a, before.a, 'approving its own plan applied it');
    t.same(after.b, before.b, 'B still untouched');
    const again = await decide(adminA, EST_A.uai, 'discard');
    t.equal(again.statusCode, 409, 'a decided plan cannot be decided again');

    const discard = await decide(admin, EST_B.uai, 'discard');
    t.equal(discard.statusCode, 202, discard.body);
    const final = await both();
    t.same(final.b.persons, before.b.persons, 'discarding applied nothing of B');
    t.same(
      final.b.plans.map((p) => p.status),
      [...before.b.plans.slice(0, -1).map((p) => p.status), 'discarded'],
    );
  });
});
