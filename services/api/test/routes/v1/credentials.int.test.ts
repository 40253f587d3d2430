import t from 'tap';
import { createPasswordPort } from '@aaf-sync/credentials';
import type { Database, Kysely } from '@aaf-sync/db';
import { createSecretBox, createTarget, findTarget } from '@aaf-sync/targets';
import {
  seedClassGroup,
  seedIdentifier,
  seedMembership,
  seedPerson,
  seedStructure,
} from '@aaf-sync/testing';
import { body, build, type TestApp } from '../../helper.js';

const A = '0750001A';
const B = '0750002B';

/** Collège A: A1, A2 in 3A; Collège B: B1 in 5B. Each with a `scribe` login. */
async function seed(db: Kysely<Database>): Promise<Record<string, number>> {
  await seedStructure(db, { jointure: 'S-A', uai: A, name: 'Collège A' });
  await seedStructure(db, { jointure: 'S-B', uai: B, name: 'Collège B' });
  const classes = {
    'S-A': await seedClassGroup(db, { structure: 'S-A', kind: 'class', code: '3A' }),
    'S-B': await seedClassGroup(db, { structure: 'S-B', kind: 'class', code: '5B' }),
  };
  const ids: Record<string, number> = {};
  for (const [j, s, given, sn] of [
    ['A1', 'S-A', 'Léa', 'Martin'],
    ['A2', 'S-A', 'Hugo', 'Durand'],
    ['B1', 'S-B', 'Noé', 'Bernard'],
  ] as const) {
    ids[j] = await seedPerson(db, {
      jointure: j,
      category: 'pupil',
      givenName: given,
      sn,
      structures: [s],
    });
    await seedIdentifier(db, { personId: ids[j], namespace: 'scribe', value: j.toLowerCase() });
    await seedMembership(db, classes[s], j);
  }
  return ids;
}

/** A Scribe target (no server: its driver is simulated through the password port). */
async function scribe(ctx: TestApp, name: string, uais: string[]) {
  const box = createSecretBox(ctx.config.targets.secretsKey);
  await createTarget(
    ctx.db,
    box,
    {
      kind: 'scribe',
      name,
      uais,
      options: { url: 'ldap://scribe.invalid', baseDn: 'o=gouv,c=fr', bindDn: 'cn=admin' },
      secrets: { bindPassword: 'x' },
    },
    'test',
  );
  const row = await findTarget(ctx.db, name);
  const target = { id: Number(row.id), name };
  return { target, port: createPasswordPort(ctx.db, box, target) };
}

/** What the Scribe driver does at creation: passwords issued, set, marked. */
async function created(
  port: ReturnType<typeof createPasswordPort>,
  accounts: { personId: number; login: string }[],
) {
  const passwords = await port.forCreation(accounts);
  await port.markSet(accounts.map((a) => a.personId));
  return passwords;
}

t.test('credential sheets: admin, scoped keys, audit, purge, formats', async (t) => {
  const ctx = await build(t);
  const ids = await seed(ctx.db);
  const admin = await ctx.key(['admin']);
  const adminA = await ctx.key(['admin'], [A]);
  const adminB = await ctx.key(['admin'], [B]);
  const reader = await ctx.key(['accounts:read', 'directory:read']);
  const { port } = await scribe(ctx, 'scribe-ab', [A, B]);
  const { port: portA } = await scribe(ctx, 'scribe-a', [A]);
  const ab = await created(port, [
    { personId: ids.A1!, login: 'a1' },
    { personId: ids.A2!, login: 'a2' },
    { personId: ids.B1!, login: 'b1' },
  ]);
  const onlyA = await created(portA, [{ personId: ids.A1!, login: 'a1' }]);

  t.test('refused: another scope, a foreign establishment, an unknown target', async (t) => {
    const res = await ctx.get(reader, `/v1/targets/scribe-ab/credentials?uai=${A}`);
    t.equal(res.statusCode, 403);
    t.match(body(res), { code: 'API_ERR_FORBIDDEN' });
    const foreign = await ctx.get(adminB, `/v1/targets/scribe-ab/credentials?uai=${A}`);
    t.equal(foreign.statusCode, 403, 'a key of B never gets the sheet of A');
    t.match(body(foreign), { code: 'API_ERR_OUT_OF_SCOPE' });
    // Logins as whole words: a request id in the problem document may contain "a1" by chance.
    t.notMatch(foreign.body, /\ba[12]\b|Martin|Durand/);
    const hidden = await ctx.get(adminB, `/v1/targets/scribe-a/credentials?uai=${B}`);
    t.equal(hidden.statusCode, 404, 'a target of A only is unknown to a key of B');
    t.match(body(hidden), { code: 'TARGETS_ERR_NOT_FOUND' });
    const notServed = await ctx.get(admin, `/v1/targets/scribe-a/credentials?uai=${B}`);
    t.equal(notServed.statusCode, 400);
    t.match(body(notServed), { code: 'TARGETS_ERR_NOT_SERVED' });
    const bad = await ctx.get(admin, `/v1/targets/scribe-a/credentials?uai=${A}&format=pdf`);
    t.equal(bad.statusCode, 400);
    t.equal(
      (
        await ctx.db
          .selectFrom('audit_log')
          .selectAll()
          .where('action', '=', 'credentials.retrieve')
          .execute()
      ).length,
      0,
      'refusals retrieve nothing',
    );
    t.equal(
      (await ctx.db.selectFrom('credential').selectAll().where('state', '=', 'purged').execute())
        .length,
      0,
      'nothing purged',
    );
  });

  t.test('a scoped key retrieves its own establishment only, once', async (t) => {
    const res = await ctx.get(adminB, `/v1/targets/scribe-ab/credentials?uai=${B}`);
    t.equal(res.statusCode, 200, res.body);
    t.match(res.headers['content-type'], /^text\/csv/);
    t.equal(res.headers['cache-control'], 'no-store');
    t.equal(res.headers['x-credentials-count'], '1');
    t.equal(
      res.body,
      `uai,classe,nom,prenom,login,mot_de_passe,motif\r\n${B},5B,Bernard,Noé,b1,${ab.get(ids.B1!)},initial\r\n`,
    );
    const again = await ctx.get(adminB, `/v1/targets/scribe-ab/credentials?uai=${B}`);
    t.equal(again.statusCode, 410);
    t.match(again.headers['content-type'], /application\/problem\+json/);
    t.match(body(again), { code: 'CREDENTIALS_ERR_ALREADY_RETRIEVED', status: 410 });
    t.match(body(again).detail, /purged/);
  });

  t.test('admin: a class as a printable sheet, then the rest as CSV', async (t) => {
    const html = await ctx.get(
      admin,
      `/v1/targets/scribe-ab/credentials?uai=${A}&class=3A&format=html`,
    );
    t.equal(html.statusCode, 200, html.body);
    t.match(html.headers['content-type'], /^text\/html/);
    t.match(html.headers['content-disposition'], /credentials-scribe-ab-0750001A-3A\.html/);
    t.match(html.body, /page-break-after: always/);
    t.equal(html.body.match(/<div class="fiche">/g)?.length, 2);
    for (const id of [ids.A1!, ids.A2!]) {
      t.ok(html.body.includes(ab.get(id)!.replace(/&/g, '&amp;')), 'each password is there');
    }
    t.notOk(html.body.includes(ab.get(ids.B1!)!), 'not the other establishment');
    const gone = await ctx.get(adminA, `/v1/targets/scribe-ab/credentials?uai=${A}`);
    t.equal(gone.statusCode, 410, 'everything of A on this target was retrieved');
    const other = await ctx.get(adminA, `/v1/targets/scribe-a/credentials?uai=${A}&class=3A`);
    t.equal(other.statusCode, 200, 'another target keeps its own copy');
    t.match(other.body, new RegExp(`a1,${onlyA.get(ids.A1!)!.replace(/[$*?]/g, '\\$&')}`));
  });

  t.test('every retrieval is audited with who, target, UAI, class and count', async (t) => {
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'status', 'uais', 'details', 'path'])
      .where('action', '=', 'credentials.retrieve')
      .orderBy('id')
      .execute();
    t.match(audit, [
      {
        action: 'credentials.retrieve',
        status: 200,
        uais: [B],
        path: '/v1/targets/scribe-ab/credentials',
        details: { target: 'scribe-ab', uai: B, class: null, count: 1, purged: true },
      },
      {
        action: 'credentials.retrieve',
        uais: [A],
        details: { target: 'scribe-ab', uai: A, class: '3A', count: 2, format: 'html' },
      },
      { action: 'credentials.retrieve', details: { target: 'scribe-a', count: 1 } },
    ]);
    t.equal(audit.length, 3);
    t.match(audit[0]!.actor, /^key:/);
    const raw = await ctx.db.selectFrom('credential').selectAll().execute();
    t.ok(raw.every((r) => r.state === 'purged' && r.ciphertext === null && r.key_id === null));
  });
});

t.test('purge on retrieval off: a sheet can be retrieved again', async (t) => {
  const ctx = await build(t, { credentials: { purgeOnRetrieval: false } });
  const ids = await seed(ctx.db);
  const admin = await ctx.key(['admin']);
  const { port } = await scribe(ctx, 'scribe-a', [A]);
  const passwords = await created(port, [{ personId: ids.A1!, login: 'a1' }]);
  for (const n of [1, 2]) {
    const res = await ctx.get(admin, `/v1/targets/scribe-a/credentials?uai=${A}`);
    t.equal(res.statusCode, 200, `retrieval ${n}`);
    t.ok(res.body.includes(passwords.get(ids.A1!)!));
    t.equal(res.headers['x-credentials-purged'], 'false');
  }
});

t.test(
  'password reset: 202, stored pending for the worker, scoped to the establishment',
  async (t) => {
    const ctx = await build(t);
    const ids = await seed(ctx.db);
    const admin = await ctx.key(['admin']);
    const adminA = await ctx.key(['admin'], [A]);
    const adminB = await ctx.key(['admin'], [B]);
    const reader = await ctx.key(['accounts:read']);
    const reset = (token: string, account: string) =>
      ctx.inject({
        method: 'POST',
        url: `/v1/accounts/${account}/password-reset`,
        headers: { authorization: `Bearer ${token}` },
      });

    const none = await reset(admin, 'jointure:A1');
    t.equal(none.statusCode, 409, 'no Scribe target yet');
    t.match(body(none), { code: 'CREDENTIALS_ERR_NO_PASSWORD_TARGET' });

    const { target, port } = await scribe(ctx, 'scribe-a', [A]);
    const first = await created(port, [{ personId: ids.A1!, login: 'a1' }]);
    await ctx.db
      .updateTable('provisioning')
      .set({ status: 'applied', applied_version: 1, present: true })
      .where('target_id', '=', target.id)
      .execute();

    t.equal((await reset(reader, 'jointure:A1')).statusCode, 403, 'accounts:read is not enough');
    const foreign = await reset(adminB, 'jointure:A1');
    t.equal(foreign.statusCode, 404, 'a key of B does not see an account of A');
    t.match(body(foreign), { code: 'API_ERR_NOT_FOUND' });
    t.equal((await port.pending([ids.A1!])).size, 0, 'nothing was issued by refused requests');

    const res = await reset(adminA, 'jointure:A1');
    t.equal(res.statusCode, 202, res.body);
    t.same(body(res), {
      account: 'jointure:A1',
      targets: [
        {
          target: 'scribe-a',
          kind: 'scribe',
          login: 'a1',
          uai: A,
          class: '3A',
          retrieve: `/v1/targets/scribe-a/credentials?uai=${A}&class=3A`,
        },
      ],
    });
    const row = await ctx.db
      .selectFrom('provisioning')
      .select(['status', 'desired_version'])
      .where('target_id', '=', target.id)
      .where('person_id', '=', ids.A1!)
      .executeTakeFirstOrThrow();
    t.same(row, { status: 'pending', desired_version: 2 }, 'the worker will set it');
    const waiting = await port.pending([ids.A1!]);
    t.match(waiting.get(ids.A1!), { login: 'a1', reason: 'reset' });
    t.not(waiting.get(ids.A1!)!.password, first.get(ids.A1!));

    const early = await ctx.get(
      adminA,
      body<{ targets: { retrieve: string }[] }>(res).targets[0]!.retrieve,
    );
    t.equal(early.statusCode, 409, 'not on the target yet');
    t.match(body(early), { code: 'CREDENTIALS_ERR_NOT_SET_YET' });
    await port.markSet([ids.A1!]);
    const sheet = await ctx.get(
      adminA,
      body<{ targets: { retrieve: string }[] }>(res).targets[0]!.retrieve,
    );
    t.equal(sheet.statusCode, 200);
    t.ok(sheet.body.includes(`a1,${waiting.get(ids.A1!)!.password},reset`));

    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'status', 'uais', 'details'])
      .where('action', '=', 'accounts.password-reset')
      .execute();
    t.match(audit, [{ status: 202, uais: [A], details: { targets: ['scribe-a'] } }]);
  },
);
